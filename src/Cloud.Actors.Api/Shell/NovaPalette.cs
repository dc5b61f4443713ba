using System.CommandLine;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Instances;
using static Cloud.Actors.Api.Shell.ShellAction;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// The seed's nova commands, with novaclient's syntax and output, over the shared <see cref="NovaService"/>.
/// The shell acts as the cloud admin (<see cref="RequestContext.ShellAdmin"/>).
/// </summary>
public sealed class NovaPalette(NovaService service) : IShellPalette
{
    private static readonly RequestContext Ctx = RequestContext.ShellAdmin;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public string Name => "nova";
    public string Description => "Instances, flavors, images, key pairs, networks, hypervisors and services, as novaclient";

    public Command Build()
    {
        var nova = new Command(Name, Description);
        nova.Subcommands.Add(Boot());
        nova.Subcommands.Add(Show());
        nova.Subcommands.Add(List());
        nova.Subcommands.Add(ActionCommand("delete", "Immediately shut down and delete a server.", InstanceAction.Delete));
        nova.Subcommands.Add(ActionCommand("stop", "Stop a server.", InstanceAction.Stop));
        nova.Subcommands.Add(ActionCommand("start", "Start a server.", InstanceAction.Start));
        nova.Subcommands.Add(Reboot());
        nova.Subcommands.Add(ActionCommand("pause", "Pause a server.", InstanceAction.Pause));
        nova.Subcommands.Add(ActionCommand("unpause", "Unpause a server.", InstanceAction.Unpause));
        nova.Subcommands.Add(ActionCommand("suspend", "Suspend a server.", InstanceAction.Suspend));
        nova.Subcommands.Add(ActionCommand("resume", "Resume a server.", InstanceAction.Resume));
        nova.Subcommands.Add(Rebuild());
        nova.Subcommands.Add(ConsoleLog());
        nova.Subcommands.Add(FlavorList());
        nova.Subcommands.Add(ImageList());
        nova.Subcommands.Add(KeypairAdd());
        nova.Subcommands.Add(KeypairList());
        nova.Subcommands.Add(KeypairDelete());
        nova.Subcommands.Add(NetList());
        nova.Subcommands.Add(HypervisorList());
        nova.Subcommands.Add(ServiceList());
        nova.Subcommands.Add(ServiceStatus("service-disable", "Disable the service.", enabled: false));
        nova.Subcommands.Add(ServiceStatus("service-enable", "Enable the service.", enabled: true));
        return nova;
    }

    private Command Boot()
    {
        var image = new Option<string>("--image") { Description = "Name or ID of image." };
        var flavor = new Option<string>("--flavor") { Description = "Name or ID of flavor." };
        var key = new Option<string>("--key-name", "--key_name") { Description = "Key name of keypair." };
        var nic = new Option<string[]>("--nic") { Description = "Create a NIC on the server: net-id=<network uuid>[,v4-fixed-ip=<ip>], port-id=<port uuid>, none or auto." };
        var az = new Option<string>("--availability-zone", "--availability_zone") { Description = "The availability zone for server placement." };
        var minCount = new Option<int>("--min-count") { DefaultValueFactory = _ => 1 };
        var maxCount = new Option<int?>("--max-count");
        var poll = new Option<bool>("--poll") { Description = "Report the new server boot progress until it completes." };
        var configDrive = new Option<string>("--config-drive") { Description = "Enable config drive. The value must be a boolean value." };
        var name = new Argument<string>("name") { Description = "Name for the new server." };
        var command = new Command("boot", "Boot a new server.") { image, flavor, key, nic, az, minCount, maxCount, poll, configDrive, name };
        command.SetAction((pr, ct) => Run(pr, async output =>
        {
            // novaclient's --nic: net-id=<uuid>[,v4-fixed-ip=<ip>], port-id=<uuid>, or "none" / "auto" alone.
            List<NicRequest>? nics = null;
            var nicSpecs = pr.GetValue(nic) ?? [];
            if (nicSpecs.Length > 1 && nicSpecs.Any(n => n is "none" or "auto"))
                throw new NovaException(400, "--nic none and --nic auto cannot be combined with other --nic options.");
            foreach (var spec in nicSpecs)
            {
                nics ??= [];
                if (spec is "none" or "auto")
                {
                    if (spec == "auto") nics = null;
                    break;
                }
                string? netId = null, portId = null, fixedIp = null;
                foreach (var pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var kv = pair.Split('=', 2);
                    switch (kv.Length == 2 ? kv[0] : "")
                    {
                        case "net-id": netId = kv[1]; break;
                        case "port-id": portId = kv[1]; break;
                        case "v4-fixed-ip": fixedIp = kv[1]; break;
                        default:
                            throw new NovaException(400, $"Invalid nic argument '{spec}'. NIC arguments must be of the form --nic <auto,none,net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>.");
                    }
                }
                if ((netId is null) == (portId is null))
                    throw new NovaException(400, $"Invalid nic argument '{spec}'. Either net-id or port-id must be given, not both.");
                nics.Add(new NicRequest(netId, portId, fixedIp));
            }
            var min = pr.GetValue(minCount);
            var drive = pr.GetValue(configDrive) is { } text
                ? InputValidation.Boolean(text) ?? throw new NovaException(400, $"Invalid input for field/attribute config_drive. Value: {text}. '{text}' {InputValidation.BooleanChoices}")
                : false;
            var booted = await service.Boot(new BootArguments(pr.GetValue(name)!, pr.GetValue(image), pr.GetValue(flavor),
                pr.GetValue(key), [], pr.GetValue(az), min, pr.GetValue(maxCount) ?? min, nics, drive), Ctx);
            foreach (var server in booted)
                await output.WriteAsync(PropertyTable(ServerTable.Rows(server, Ctx.IsAdmin)));
            if (pr.GetValue(poll))
                foreach (var server in booted)
                    if (!await Poll(server.State.Id.ToString(), output, ct)) return 1;
            return 0;
        }));
        return command;
    }

    /// <summary>novaclient's --poll: report progress until the server is ACTIVE or ERROR.</summary>
    private async Task<bool> Poll(string id, TextWriter output, CancellationToken ct)
    {
        var last = "";
        while (true)
        {
            var found = await service.Show(id, Ctx);
            var s = found.State;
            var line = $"Server building... status {s.Status}, task {s.TaskState ?? "-"}";
            if (line != last) await output.WriteLineAsync(line);
            last = line;
            if (s.Status == "ACTIVE")
            {
                await output.WriteLineAsync("Finished");
                return true;
            }
            if (s.Status == "ERROR")
            {
                await output.WriteLineAsync($"Error building server: {s.Fault?.Message}");
                return false;
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    private Command Show()
    {
        var server = new Argument<string>("server") { Description = "Name or ID of server." };
        var command = new Command("show", "Show details about the given server.") { server };
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var found = await service.Show(pr.GetValue(server)!, Ctx);
            await output.WriteAsync(PropertyTable(ServerTable.Rows(found, Ctx.IsAdmin)));
            return 0;
        }));
        return command;
    }

    private Command List()
    {
        var all = new Option<bool>("--all-tenants", "--all_tenants") { Description = "Display information from all tenants (admin only)." };
        var command = new Command("list", "List servers.") { all };
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable(ServerTable.ListHeader);
            foreach (var server in await service.List(Ctx, pr.GetValue(all))) table.AddRow(ServerTable.ListRow(server));
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }

    private Command ActionCommand(string verb, string description, InstanceAction action)
    {
        var servers = new Argument<string[]>("server") { Description = "Name or ID of server(s).", Arity = ArgumentArity.OneOrMore };
        var command = new Command(verb, description) { servers };
        command.SetAction((pr, _) => Run(pr, output => Act(pr.GetValue(servers)!, action, verb, output)));
        return command;
    }

    private Command Reboot()
    {
        var hard = new Option<bool>("--hard") { Description = "Perform a hard reboot (instead of a soft one)." };
        var servers = new Argument<string[]>("server") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("reboot", "Reboot a server.") { hard, servers };
        command.SetAction((pr, _) => Run(pr, output =>
            Act(pr.GetValue(servers)!, pr.GetValue(hard) ? InstanceAction.RebootHard : InstanceAction.Reboot,
                "reboot", output)));
        return command;
    }

    private Command Rebuild()
    {
        var server = new Argument<string>("server") { Description = "Name or ID of server." };
        var image = new Argument<string>("image") { Description = "Name or ID of new image." };
        var command = new Command("rebuild", "Shutdown, re-image, and re-boot a server.") { server, image };
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var rebuilt = await service.Rebuild(pr.GetValue(server)!, pr.GetValue(image), Ctx);
            await output.WriteAsync(PropertyTable(ServerTable.Rows(rebuilt, Ctx.IsAdmin)));
            return 0;
        }));
        return command;
    }

    private async Task<int> Act(string[] servers, InstanceAction action, string verb, TextWriter output)
    {
        foreach (var server in servers)
        {
            await service.Act(server, action, Ctx);
            await output.WriteLineAsync($"Request to {verb} server {server} has been accepted.");
        }
        return 0;
    }

    private Command ConsoleLog()
    {
        var length = new Option<int?>("--length") { Description = "Length in lines to tail." };
        var follow = new Option<bool>("--follow", "-f")
        {
            Description = "Keep printing the console as the guest writes it, until interrupted (Ctrl+C) or the server is deleted.",
        };
        var server = new Argument<string>("server");
        var command = new Command("console-log", "Get console log output of a server.") { length, follow, server };
        command.SetAction((pr, ct) => Run(pr, async output =>
        {
            if (!pr.GetValue(follow))
            {
                await output.WriteAsync(await service.ConsoleLog(pr.GetValue(server)!, pr.GetValue(length), Ctx));
                return 0;
            }
            // Each piece becomes its own frame at once (ShellStreamWriter), so the client sees it as it is written.
            var atLineStart = true;
            await foreach (var text in service.FollowConsoleLog(pr.GetValue(server)!, pr.GetValue(length), Ctx, ct))
            {
                await output.WriteAsync(text);
                atLineStart = text.EndsWith('\n');
            }
            await output.WriteAsync((atLineStart ? "" : "\n") + $"Server {pr.GetValue(server)} was deleted: its console log ends here.\n");
            return 0;
        }));
        return command;
    }

    private Command FlavorList()
    {
        var command = new Command("flavor-list", "Print a list of available 'flavors' (sizes of servers).");
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable("ID", "Name", "Memory_MiB", "Disk", "Ephemeral", "Swap", "VCPUs", "RXTX_Factor", "Is_Public");
            foreach (var f in (await service.Catalog()).Flavors)
                table.AddRow(f.Id, f.Name, f.MemoryMb, f.RootGb, f.EphemeralGb, f.SwapMb == 0 ? "" : f.SwapMb, f.Vcpus, "1.0", "True");
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }

    private Command ImageList()
    {
        var command = new Command("image-list", "Print a list of available images to boot from.");
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable("ID", "Name", "Status", "Server");
            foreach (var i in (await service.Catalog()).Images) table.AddRow(i.Id, i.Name, i.Status.ToUpperInvariant(), "");
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }

    private Command KeypairAdd()
    {
        var pubKey = new Option<string>("--pub-key-data") { Description = "Public key contents (the client reads --pub-key FILE into this)." };
        var name = new Argument<string>("name") { Description = "Name of key." };
        var command = new Command("keypair-add", "Create a new key pair for use with servers.") { pubKey, name };
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var (_, privateKey) = await service.AddKeyPair(pr.GetValue(name)!, pr.GetValue(pubKey), Ctx);
            if (privateKey is not null) await output.WriteAsync(privateKey.EndsWith('\n') ? privateKey : privateKey + "\n");
            return 0;
        }));
        return command;
    }

    private Command KeypairList()
    {
        var command = new Command("keypair-list", "Print a list of keypairs for a user.");
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable("Name", "Type", "Fingerprint");
            foreach (var k in await service.KeyPairs(Ctx)) table.AddRow(k.Name, k.Type, k.Fingerprint);
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }

    private Command KeypairDelete()
    {
        var name = new Argument<string>("name");
        var command = new Command("keypair-delete", "Delete keypair given by its name.") { name };
        command.SetAction((pr, _) => Run(pr, async _ =>
        {
            await service.DeleteKeyPair(pr.GetValue(name)!, Ctx);
            return 0;
        }));
        return command;
    }

    private Command NetList()
    {
        var command = new Command("net-list", "List networks.");
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable("ID", "Label", "CIDR");
            var networks = await service.Neutron.Networks(Ctx);
            foreach (var n in networks.Networks)
                table.AddRow(n.Id, n.Name, string.Join(",", networks.Subnets.Where(s => s.NetworkId == n.Id).Select(s => s.Cidr)));
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }

    private Command HypervisorList()
    {
        var command = new Command("hypervisor-list", "List hypervisors.");
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable("ID", "Hypervisor hostname", "State", "Status", "Type", "Running VMs");
            var id = 1;
            foreach (var h in await service.Hypervisors())
                table.AddRow(id++, h.Capabilities.HypervisorHostname, h.Up ? "up" : "down",
                    h.Capabilities.Enabled ? "enabled" : "disabled", h.Capabilities.HypervisorType, h.RunningVms);
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }

    private Command ServiceList()
    {
        var host = new Option<string>("--host") { Description = "Name of host." };
        var binary = new Option<string>("--binary") { Description = "Service binary." };
        var command = new Command("service-list", "Show a list of all running services. Filter by host & binary.") { host, binary };
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable("Id", "Binary", "Host", "Zone", "Status", "State", "Updated_at", "Disabled Reason", "Forced down");
            foreach (var s in await service.Services())
            {
                if (pr.GetValue(host) is { } h && s.Host != h) continue;
                if (pr.GetValue(binary) is { } b && s.Binary != b) continue;
                table.AddRow(s.Id, s.Binary, s.Host, s.Zone, s.Enabled ? "enabled" : "disabled", s.Up ? "up" : "down",
                    s.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
                    s.DisabledReason ?? "-", "False");
            }
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }

    /// <summary>novaclient's service-enable / service-disable [--reason]: by host name; the binary can only be nova-compute.</summary>
    private Command ServiceStatus(string name, string description, bool enabled)
    {
        var reason = new Option<string>("--reason") { Description = "Reason for disabling the service." };
        var host = new Argument<string>("host") { Description = "Name of host." };
        var binary = new Argument<string>("binary") { Description = "Service binary.", DefaultValueFactory = _ => ComputeServiceView.ComputeBinary };
        var command = new Command(name, description) { host, binary };
        if (!enabled) command.Options.Add(reason);
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var s = await service.SetServiceStatus(pr.GetValue(host)!, pr.GetValue(binary)!, enabled, enabled ? null : pr.GetValue(reason));
            var table = new TextTable("Id", "Host", "Binary", "Status", "Disabled Reason");
            table.AddRow(s.Id, s.Host, s.Binary, s.Enabled ? "enabled" : "disabled", s.DisabledReason ?? "-");
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }
}
