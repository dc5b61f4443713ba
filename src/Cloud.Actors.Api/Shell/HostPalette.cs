using System.CommandLine;
using System.Globalization;
using Akka.Actor;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.States;
using static Cloud.Actors.Api.Shell.ShellAction;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// <c>host show | guests</c> on a compute node: the host as its compute actor (/user/compute) registers it, and
/// the guests its hypervisor runs, told apart as this host's instances, orphans, and other hosts' guests.
/// </summary>
public sealed class HostPalette(ActorSystem system, TimeSpan timeout) : IShellPalette
{
    public string Name => "host";

    public string Description => "This compute host: show, guests";

    public Command Build() => new(Name, Description) { Show(), Guests() };

    private Task<HostStatus> Status() =>
        system.ActorSelection("/user/compute").Ask<HostStatus>(GetHostStatus.Instance, timeout);

    private Command Show()
    {
        var command = new Command("show", "The host's size, zone, service status and instances.");
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var status = await Status();
            var c = status.Capabilities;
            await output.WriteAsync(PropertyTable(
            [
                ("host", c.Host),
                ("hypervisor_hostname", c.HypervisorHostname),
                ("hypervisor_type", c.HypervisorType),
                ("vcpus", c.Vcpus.ToString(CultureInfo.InvariantCulture)),
                ("memory_mb", c.MemoryMb.ToString(CultureInfo.InvariantCulture)),
                ("local_gb", c.DiskGb.ToString(CultureInfo.InvariantCulture)),
                ("availability_zone", c.AvailabilityZone),
                ("status", c.Enabled ? "enabled" : "disabled"),
                ("disabled_reason", c.DisabledReason ?? "-"),
                ("instances", status.Instances.ToString(CultureInfo.InvariantCulture)),
                ("guests", status.Guests.Length.ToString(CultureInfo.InvariantCulture)),
            ]));
            return 0;
        }));
        return command;
    }

    private Command Guests()
    {
        var all = new Option<bool>("--all") { Description = "Also the guests of other hosts that share this hypervisor." };
        var command = new Command("guests", "The guests the hypervisor lists, as `virsh list --all` with their owner.") { all };
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable("Name", "UUID", "Power State", "Owner");
            foreach (var g in (await Status()).Guests.OrderBy(g => g.Name, StringComparer.Ordinal))
                if (pr.GetValue(all) || g.Owner != HostGuest.OtherHost)
                    table.AddRow(g.Name, g.Uuid, PowerState.Name(g.PowerState), g.Owner);
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }
}
