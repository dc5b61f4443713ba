using System.Diagnostics;
using System.Xml.Linq;
using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Api.Shell;
using Cloud.Actors.Node;
using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Images;
using Cloud.Actors.Virt.Networking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Actors.Bench;

/// <summary>
/// ./cluster.sh bench guests [--guests N]: real guests on qemu:///system, one at a time. Each boot request is timed to
/// ACTIVE, to the guest's login prompt and to SSH ready (a login with the key pair's key from the network's namespace
/// succeeds), next to a bare `virsh define` + `virsh start` of the same domain XML on a copy of the same files in the
/// same run (the baseline), with the image already in the host's cache. The bare domain has the same interface: the
/// instance is stopped meanwhile, so its port's bridge, DHCP lease and metadata serve the bare guest as they served it.
/// Also the overlay: our qemu-img call vs a bare `qemu-img create`.
/// </summary>
public static class GuestBench
{
    private const string Image = "cirros";
    private const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";
    private const string Uri = "qemu:///system";
    private const string Key = "bench-key";
    private const string MetadataPort = "18775";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var guests = args is ["--guests", var n] && int.TryParse(n, out var count) && count > 0 ? count
            : args.Length == 0 ? 3 : throw new ArgumentException("usage: bench guests [--guests N]");
        // The image seed cluster.sh writes for `up` too (write_images_conf): the guest guest/build.sh made.
        var images = Environment.GetEnvironmentVariable("CLOUD_ACTORS_GUEST_IMAGES") is { Length: > 0 } path && File.Exists(path)
            ? path
            : throw new ArgumentException("CLOUD_ACTORS_GUEST_IMAGES names no file: run it as ./cluster.sh bench guests (after setup)");
        var state = Path.Combine(Path.GetTempPath(), "cloud-actors-guest-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(state);
        Console.WriteLine($"Cloud.Actors guest benchmark: {guests} real guests one at a time on {Uri}, each booted, suspended and resumed next to a bare virsh define + start, managedsave and start");

        var node = await StartNodeAsync(state, images);
        try
        {
            var nova = await NovaAsync(node.Services.GetRequiredService<NovaService>());
            var (_, privateKey) = await nova.AddKeyPair(Key, null, RequestContext.ShellAdmin);
            var keyFile = Path.Combine(state, Key + ".pem");
            await File.WriteAllTextAsync(keyFile, privateKey);
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // Warm-up: the first boot fetches the image into _base; the figures are for a cached image.
            Console.WriteLine("  warm-up boot (fetches the image into the cache) ...");
            var warm = await BootAsync(nova, "bench-warm", state, keyFile);
            await DeleteAsync(nova, warm.Id);

            var ours = new List<(double Active, double Login, double Ssh, double Suspend, double Resume)>();
            var bare = new List<(double Running, double Login, double Ssh, double Save, double Restore)>();
            var overlayOurs = new List<double>();
            var overlayBare = new List<double>();
            for (var i = 1; i <= guests; i++)
            {
                var boot = await BootAsync(nova, $"bench-{i}", state, keyFile);
                var (suspend, resume) = await SuspendResumeAsync(nova, boot.Id);
                ours.Add((boot.ActiveMs, boot.LoginMs, boot.SshMs, suspend, resume));
                Console.WriteLine($"  guest {i}: ACTIVE {boot.ActiveMs:F0} ms, login prompt {boot.LoginMs:F0} ms, SSH ready {boot.SshMs:F0} ms, SUSPENDED {suspend:F0} ms, resumed ACTIVE {resume:F0} ms");
                var copy = await CopyForBareAsync(boot, state, i, overlayOurs, overlayBare);
                await ActAsync(nova, boot.Id, Cloud.Actors.Domain.Instances.InstanceAction.Stop, "SHUTOFF");
                var baseline = await BareBootAsync(copy, boot.Address, keyFile);
                await DeleteAsync(nova, boot.Id);
                bare.Add(baseline);
                Console.WriteLine($"  bare {i}:  running {baseline.Running:F0} ms, login prompt {baseline.Login:F0} ms, SSH ready {baseline.Ssh:F0} ms, managedsave {baseline.Save:F0} ms, start (restore) {baseline.Restore:F0} ms");
            }

            double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToArray();
                return sorted[sorted.Length / 2];
            }
            var table = new TextTable("Measure (median)", "Cloud.Actors", "bare libvirt", "ratio", "Target");
            table.AddRow("boot request -> ACTIVE  vs  virsh define + start", $"{Median(ours.Select(o => o.Active)):F0} ms",
                $"{Median(bare.Select(b => b.Running)):F0} ms", $"{Median(ours.Select(o => o.Active)) / Median(bare.Select(b => b.Running)):F2}", "<= 1.10");
            table.AddRow("boot request -> login prompt  vs  define + start -> login prompt", $"{Median(ours.Select(o => o.Login)):F0} ms",
                $"{Median(bare.Select(b => b.Login)):F0} ms", $"{Median(ours.Select(o => o.Login)) / Median(bare.Select(b => b.Login)):F2}", "<= 1.10");
            table.AddRow("boot request -> SSH ready  vs  define + start -> SSH ready", $"{Median(ours.Select(o => o.Ssh)):F0} ms",
                $"{Median(bare.Select(b => b.Ssh)):F0} ms", $"{Median(ours.Select(o => o.Ssh)) / Median(bare.Select(b => b.Ssh)):F2}", "<= 1.05");
            table.AddRow("suspend -> SUSPENDED  vs  virsh managedsave", $"{Median(ours.Select(o => o.Suspend)):F0} ms",
                $"{Median(bare.Select(b => b.Save)):F0} ms", $"{Median(ours.Select(o => o.Suspend)) / Median(bare.Select(b => b.Save)):F2}", "");
            table.AddRow("resume -> ACTIVE  vs  virsh start of the saved domain", $"{Median(ours.Select(o => o.Resume)):F0} ms",
                $"{Median(bare.Select(b => b.Restore)):F0} ms", $"{Median(ours.Select(o => o.Resume)) / Median(bare.Select(b => b.Restore)):F2}", "");
            table.AddRow("overlay: QemuImg.CreateOverlayAsync  vs  qemu-img create", $"{Median(overlayOurs):F1} ms",
                $"{Median(overlayBare):F1} ms", $"{Median(overlayOurs) / Median(overlayBare):F2}", "");
            Console.WriteLine(table.Render());
            return 0;
        }
        finally
        {
            await node.StopAsync();
            node.Dispose();
            // The agent's DHCP server outlives the node, as Neutron's do: this run's goes with it.
            await new DnsmasqDhcp(Path.Combine(state, "dhcp"), new NetworkBridges(NetNamespace.Own, null)).SyncAsync([]);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>One node with both roles, composed as the node program composes it, its images seeded from the guest directory.</summary>
    private static async Task<IHost> StartNodeAsync(string state, string images)
    {
        var env = new Dictionary<string, string>
        {
            ["CLOUD_ACTORS_NODE"] = "bench",
            ["CLOUD_ACTORS_ROLES"] = "controller,compute",
            ["CLOUD_ACTORS_PORT"] = "0",
            ["CLOUD_ACTORS_STATE_DIR"] = state,
            ["CLOUD_ACTORS_DRIVER"] = "libvirt",
            ["CLOUD_ACTORS_CONFIG"] = images,
            ["CLOUD_ACTORS_ASK_TIMEOUT"] = "30s",
            // Far from any other cluster's domain names on this libvirtd.
            ["CLOUD_ACTORS_FIRST_INSTANCE_NUMBER"] = "15728640",
            // DHCP and metadata for the guests, as cluster.sh gives real guests; the API on ports of its own.
            ["CLOUD_ACTORS_NETWORK_AGENT"] = "on",
            ["CLOUD_ACTORS_DHCP_RUN_DIR"] = Path.Combine(state, "dhcp"),
            ["CLOUD_ACTORS_IDENTITY_PORT"] = "0",
            ["CLOUD_ACTORS_COMPUTE_PORT"] = "0",
            ["CLOUD_ACTORS_IMAGE_PORT"] = "0",
            ["CLOUD_ACTORS_NETWORK_PORT"] = "0",
            ["CLOUD_ACTORS_METADATA_PORT"] = MetadataPort,
        };
        var settings = NodeSettings.Load(InProcessCloud.HoconDir, v => env.GetValueOrDefault(v));
        // As the node program composes it, REST included: the guests' metadata proxy forwards to its metadata API.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Error));
        builder.Services.AddCloudActorsRest(settings);
        builder.Services.AddCloudActors(settings, new CloudComposition { Formation = ClusterFormation.JoinSelf });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<NovaService> NovaAsync(NovaService nova)
    {
        var clock = Stopwatch.StartNew();
        while ((await TryHypervisors(nova)) == 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the compute host did not register");
            await Task.Delay(200);
        }
        // The image seed is imported at start; wait until the catalog lists it.
        while (!(await nova.Catalog()).Images.Any(i => i.Name == Image && i.Checksum is not null))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the image seed was not imported");
            await Task.Delay(200);
        }
        return nova;
    }

    private static async Task<int> TryHypervisors(NovaService nova)
    {
        try
        {
            return (await nova.Hypervisors()).Count;
        }
        catch (Exception e) when (e is NovaException or Akka.Actor.AskTimeoutException)
        {
            return 0;
        }
    }

    private sealed record Booted(Guid Id, string Directory, string Address, double ActiveMs, double LoginMs, double SshMs);

    private static async Task<Booted> BootAsync(NovaService nova, string name, string state, string keyFile)
    {
        var clock = Stopwatch.StartNew();
        var booted = (await nova.Boot(new BootArguments(name, Image, "m1.tiny", Key, [Privada]), RequestContext.ShellAdmin)).Single().State;
        var (id, address) = (booted.Id, booted.Spec.Addresses[0].Address);
        while (true)
        {
            var s = (await nova.Show(id.ToString(), RequestContext.ShellAdmin)).State;
            if (s.Status == "ACTIVE") break;
            if (s.Status == "ERROR") throw new InvalidOperationException($"{name} went to ERROR: {s.Fault?.Message}");
            if (clock.Elapsed > Timeout) throw new TimeoutException($"{name} not ACTIVE after {Timeout}");
            await Task.Delay(10);
        }
        var active = clock.Elapsed.TotalMilliseconds;
        var directory = Path.Combine(state, "instances", id.ToString());
        await WaitForLoginAsync(Path.Combine(directory, "console.log"), clock);
        var login = clock.Elapsed.TotalMilliseconds;
        await WaitForSshAsync(address, keyFile, clock);
        return new Booted(id, directory, address, active, login, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>As a user would: `ssh -i key root@address true` from privada's namespace, until it logs in.</summary>
    private static async Task WaitForSshAsync(string address, string keyFile, Stopwatch clock)
    {
        while (true)
        {
            var ssh = Process.Start(new ProcessStartInfo("ip",
            [
                "netns", "exec", VifNames.DhcpNamespace(Privada), "ssh", "-i", keyFile, "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-o", "ConnectTimeout=2",
                $"root@{address}", "true",
            ]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await ssh.StandardOutput.ReadToEndAsync();
            await ssh.StandardError.ReadToEndAsync();
            await ssh.WaitForExitAsync();
            if (ssh.ExitCode == 0) return;
            if (clock.Elapsed > Timeout) throw new TimeoutException($"no SSH login to {address} after {Timeout}");
            await Task.Delay(50);
        }
    }

    /// <summary>Suspend (libvirt's managed save) of a guest at its login prompt, then resume: request -> SUSPENDED, request -> ACTIVE.</summary>
    private static async Task<(double Suspend, double Resume)> SuspendResumeAsync(NovaService nova, Guid id)
    {
        var suspend = await ActAsync(nova, id, Cloud.Actors.Domain.Instances.InstanceAction.Suspend, "SUSPENDED");
        var resume = await ActAsync(nova, id, Cloud.Actors.Domain.Instances.InstanceAction.Resume, "ACTIVE");
        return (suspend, resume);
    }

    private static async Task<double> ActAsync(NovaService nova, Guid id, Cloud.Actors.Domain.Instances.InstanceAction action, string status)
    {
        var clock = Stopwatch.StartNew();
        await nova.Act(id.ToString(), action, RequestContext.ShellAdmin);
        while (true)
        {
            var s = (await nova.Show(id.ToString(), RequestContext.ShellAdmin)).State;
            if (s.Status == status && s.TaskState is null) return clock.Elapsed.TotalMilliseconds;
            if (clock.Elapsed > Timeout) throw new TimeoutException($"{id} not {status} after {action} in {Timeout}; last {s.Status}/{s.TaskState}");
            await Task.Delay(10);
        }
    }

    private static async Task DeleteAsync(NovaService nova, Guid id)
    {
        await nova.Act(id.ToString(), Cloud.Actors.Domain.Instances.InstanceAction.Delete, RequestContext.ShellAdmin);
        var clock = Stopwatch.StartNew();
        while ((await nova.List(RequestContext.ShellAdmin, allProjects: true)).Any(i => i.State.Id == id))
        {
            if (clock.Elapsed > Timeout) throw new TimeoutException($"{id} not deleted after {Timeout}");
            await Task.Delay(100);
        }
    }

    private sealed record BareGuest(string Name, string XmlPath, string ConsoleLog, string Directory);

    /// <summary>
    /// The booted instance's domain XML and files, copied for a bare boot under another name and uuid: a fresh overlay
    /// on the same base (timed against our own overlay call), the same config drive, kernel and ramdisk.
    /// </summary>
    private static async Task<BareGuest> CopyForBareAsync(Booted boot, string state, int i, List<double> overlayOurs, List<double> overlayBare)
    {
        var directory = Directory.CreateDirectory(Path.Combine(state, $"bare-{i}")).FullName;
        var xml = XDocument.Load(Path.Combine(boot.Directory, "libvirt.xml"));
        var backing = (await new QemuImg().InfoAsync(Path.Combine(boot.Directory, "disk"))).FullBackingFilename!;

        var clock = Stopwatch.StartNew();
        await new QemuImg().CreateOverlayAsync(Path.Combine(directory, "ours-disk"), backing, "raw", 1);
        overlayOurs.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        await RunAsync("qemu-img", "create", "-q", "-f", "qcow2", "-b", backing, "-F", "raw", Path.Combine(directory, "disk"), "1G");
        overlayBare.Add(clock.Elapsed.TotalMilliseconds);

        foreach (var file in new[] { "disk.config", "kernel", "ramdisk" })
            if (File.Exists(Path.Combine(boot.Directory, file))) File.Copy(Path.Combine(boot.Directory, file), Path.Combine(directory, file));
        var name = $"bench-bare-{Guid.NewGuid().ToString("N")[..8]}";
        var root = xml.Root!;
        root.Element("name")!.Value = name;
        root.Element("uuid")!.Value = Guid.NewGuid().ToString();
        foreach (var attribute in root.Descendants().Attributes("path").Concat(root.Descendants().Attributes("file")))
            attribute.Value = attribute.Value.Replace(boot.Directory, directory, StringComparison.Ordinal);
        foreach (var element in root.Element("os")!.Elements().Where(e => e.Name == "kernel" || e.Name == "initrd"))
            element.Value = element.Value.Replace(boot.Directory, directory, StringComparison.Ordinal);
        foreach (var entry in root.Descendants("entry").Where(e => (string?)e.Attribute("name") == "uuid"))
            entry.Value = root.Element("uuid")!.Value;
        var path = Path.Combine(directory, "libvirt.xml");
        xml.Save(path);
        return new BareGuest(name, path, Path.Combine(directory, "console.log"), directory);
    }

    /// <summary>The same domain by hand: define + start to the login prompt and SSH, then managedsave and start (the restore).</summary>
    private static async Task<(double Running, double Login, double Ssh, double Save, double Restore)> BareBootAsync(BareGuest guest, string address, string keyFile)
    {
        var clock = Stopwatch.StartNew();
        await RunAsync("virsh", "-q", "-c", Uri, "define", guest.XmlPath);
        await RunAsync("virsh", "-q", "-c", Uri, "start", guest.Name);
        var running = clock.Elapsed.TotalMilliseconds;
        try
        {
            await WaitForLoginAsync(guest.ConsoleLog, clock);
            var login = clock.Elapsed.TotalMilliseconds;
            await WaitForSshAsync(address, keyFile, clock);
            var ssh = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await RunAsync("virsh", "-q", "-c", Uri, "managedsave", guest.Name);
            var save = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await RunAsync("virsh", "-q", "-c", Uri, "start", guest.Name);
            return (running, login, ssh, save, clock.Elapsed.TotalMilliseconds);
        }
        finally
        {
            // Not running when a step failed after the save: there is nothing to destroy then.
            try { await RunAsync("virsh", "-q", "-c", Uri, "destroy", guest.Name); }
            catch (InvalidOperationException) { }
            await RunAsync("virsh", "-q", "-c", Uri, "undefine", "--managed-save", guest.Name);
        }
    }

    private static async Task WaitForLoginAsync(string consoleLog, Stopwatch clock)
    {
        while (!(File.Exists(consoleLog) && (await File.ReadAllTextAsync(consoleLog)).Contains("login:", StringComparison.Ordinal)))
        {
            if (clock.Elapsed > Timeout) throw new TimeoutException($"no login prompt in {consoleLog} after {Timeout}");
            await Task.Delay(20);
        }
    }

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {tool}");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)}: {await error}");
    }
}
