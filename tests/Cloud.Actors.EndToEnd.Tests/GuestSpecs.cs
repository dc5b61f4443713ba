using System.Diagnostics;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// Real guests on qemu:///system through cluster.sh: what the seed shows on its compute host rdo2 (instance
/// directory, qcow2 overlay on _base, libvirt.xml, the domain, the console banner), the lifecycle on a live guest,
/// and a compute killed in the middle of a spawn.
/// </summary>
[Collection(GuestCollection.Name)]
public sealed class GuestSpecs : IAsyncLifetime
{
    private const string Cirros = "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed";
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(120);

    private readonly GuestCluster _cluster;
    private readonly ITestOutputHelper _output;

    public GuestSpecs(GuestCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
        cluster.Output = output;
    }

    public Task InitializeAsync() => _cluster.ResetAsync();

    // Guests cost ~200 MB each: none outlives its test.
    public Task DisposeAsync() => _cluster.ResetAsync();

    [Fact]
    public Task Two_guests_boot_from_overlays_on_two_hosts_with_every_file_the_seed_shows_and_reach_each_other_over_vxlan() => Scenario(async () =>
    {
        // Each node a host of its own, at its own address: the network crosses from host to host in VXLAN.
        await _cluster.UpAsync(computes: 2, "--netns");
        // As the demo does: the private key saved where `cluster.sh ssh` looks for it.
        var key = await _cluster.NovaOkAsync("keypair-add", "miclave");
        await File.WriteAllTextAsync(Path.Combine(_cluster.StateDirectory, "miclave.pem"), key);
        File.SetUnixFileMode(Path.Combine(_cluster.StateDirectory, "miclave.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var network = await _cluster.PrivadaNetworkIdAsync();

        await Task.WhenAll(
            _cluster.NovaOkAsync(TestCluster.BootArguments("test2", network)),
            // As in Nova, a config drive only when asked for.
            _cluster.NovaOkAsync([.. TestCluster.BootArguments("test3", network)[..^1], "--config-drive", "true", "test3"]));
        var hosts = new HashSet<string>();
        foreach (var name in new[] { "test2", "test3" })
        {
            var show = await _cluster.WaitForServerAsync(name, s => s["status"] is "ACTIVE" or "ERROR", ActionTimeout, "ACTIVE");
            Assert.Equal("ACTIVE", show["status"]);
            Assert.Equal("1", show["OS-EXT-STS:power_state"]);
            hosts.Add(show["OS-EXT-SRV-ATTR:host"]);
            await AssertGuestFilesAsync(name, show);
        }
        // The RAM weigher spreads two equal boots over two equal hosts.
        Assert.Equal(["compute1", "compute2"], hosts.Order());

        // The network is one VXLAN segment, its VNI, on both hosts and on the controller (DHCP, metadata).
        var vni = (await _cluster.ClientAsync("admin", $"openstack network show {network} -f value -c provider:segmentation_id", _output.WriteLine)).Trim();
        foreach (var node in new[] { "controller", "compute1", "compute2" })
        {
            var vxlan = await _cluster.NodeLinkAsync(node, $"vxlan-{vni}");
            Assert.True(vxlan is not null, $"{node} has no vxlan-{vni}");
            Assert.Contains($"master brq{network[..11]}", vxlan);
            Assert.Contains($"vxlan id {vni} group 239.1.1.1", vxlan);
        }

        // SSH as a user would, from the network's namespace with the key the metadata service gave the guest; and
        // the two guests, on two hosts, reach each other on their network, with full-size frames.
        Assert.Equal("test2", (await _cluster.RunOkAsync(ActionTimeout, "ssh", "test2", "hostname")).Trim());
        Assert.Equal(("", "True"), ((await _cluster.ShowAsync("test2"))["config_drive"], (await _cluster.ShowAsync("test3"))["config_drive"]));
        var test3 = (await _cluster.ShowAsync("test3")).First(kv => kv.Key.EndsWith(" network", StringComparison.Ordinal)).Value.Trim();
        Assert.Contains("1 packets received", await _cluster.RunOkAsync(ActionTimeout, "ssh", "test2", "ping", "-c", "1", "-W", "5", "-s", "1472", test3));

        // A guest on another network gets its own DHCP, metadata and SSH, and the two networks cannot reach each other.
        var isolated = (await _cluster.ClientAsync("admin", "openstack network create aislada -f value -c id", _output.WriteLine)).Trim();
        await _cluster.ClientAsync("admin", $"openstack subnet create --network {isolated} --subnet-range 10.1.0.0/24 aislada-subnet", _output.WriteLine);
        await _cluster.NovaOkAsync(TestCluster.BootArguments("test4", isolated));
        var shown4 = await _cluster.WaitForServerAsync("test4", s => s["status"] is "ACTIVE" or "ERROR", ActionTimeout, "ACTIVE");
        Assert.Equal("ACTIVE", shown4["status"]);
        var test4 = shown4.First(kv => kv.Key.EndsWith(" network", StringComparison.Ordinal)).Value.Trim();
        Assert.StartsWith("10.1.0.", test4);
        await _cluster.WaitForTextAsync(Path.Combine(_cluster.InstancesOf(shown4["OS-EXT-SRV-ATTR:host"]), shown4["id"], "console.log"), "login:",
            GuestCluster.GuestBootTimeout);
        Assert.Equal("test4", (await _cluster.RunOkAsync(ActionTimeout, "ssh", "test4", "hostname")).Trim());
        foreach (var (from, to) in new[] { ("test4", test3), ("test2", test4) })
        {
            var ping = await _cluster.RunAsync(ActionTimeout, "ssh", from, "ping", "-c", "1", "-W", "3", to);
            // busybox ping exits 1 on no answer (ssh's own failures are 255): the guest ran it, and nothing came back.
            Assert.True(ping.ExitCode == 1 && ping.Output.Contains("0 packets received"), $"{from} -> {to} on another network: exit {ping.ExitCode}\n{ping.Output}");
        }
    });

    [Fact]
    public Task A_live_guest_stops_starts_reboots_pauses_suspends_and_is_deleted_with_its_files() => Scenario(async () =>
    {
        await _cluster.UpAsync(computes: 1);
        await _cluster.NovaOkAsync("keypair-add", "miclave");
        var network = await _cluster.PrivadaNetworkIdAsync();
        await _cluster.NovaOkAsync(TestCluster.BootArguments("vida", network, poll: true));
        var show = await _cluster.ShowAsync("vida");
        var domain = show["OS-EXT-SRV-ATTR:instance_name"];
        var directory = Path.Combine(_cluster.InstancesOf(show["OS-EXT-SRV-ATTR:host"]), show["id"]);
        var address = show.First(kv => kv.Key.EndsWith(" network", StringComparison.Ordinal)).Value.Trim();
        var console = Path.Combine(directory, "console.log");
        // The guest must be up to hear the ACPI power button.
        await _cluster.WaitForTextAsync(console, "login:", GuestCluster.GuestBootTimeout);

        await _cluster.NovaOkAsync("stop", "vida");
        await WaitForStatusAsync("vida", "SHUTOFF");
        Assert.Equal("shut off", await GuestCluster.DomainStateAsync(domain));
        Assert.Contains("powering off", await File.ReadAllTextAsync(console));

        await _cluster.NovaOkAsync("start", "vida");
        await WaitForStatusAsync("vida", "ACTIVE");
        Assert.Equal("running", await GuestCluster.DomainStateAsync(domain));

        foreach (var reboot in new[] { new[] { "reboot", "vida" }, ["reboot", "--hard", "vida"] })
        {
            await _cluster.WaitForTextAsync(console, "login:", GuestCluster.GuestBootTimeout);
            await _cluster.NovaOkAsync(reboot);
            await WaitForStatusAsync("vida", "ACTIVE");
            Assert.Equal("running", await GuestCluster.DomainStateAsync(domain));
        }

        // Pause keeps the qemu process with the vCPUs halted; suspend saves the memory (libvirt's managed save)
        // and ends it; resume restores it where it was, so the guest does not boot again.
        await _cluster.WaitForTextAsync(console, "login:", GuestCluster.GuestBootTimeout);
        await _cluster.NovaOkAsync("pause", "vida");
        await WaitForStatusAsync("vida", "PAUSED");
        Assert.Equal("paused", await GuestCluster.DomainStateAsync(domain));
        await _cluster.NovaOkAsync("unpause", "vida");
        await WaitForStatusAsync("vida", "ACTIVE");
        Assert.Equal("running", await GuestCluster.DomainStateAsync(domain));

        await _cluster.NovaOkAsync("suspend", "vida");
        await WaitForStatusAsync("vida", "SUSPENDED");
        Assert.Equal("shut off", await GuestCluster.DomainStateAsync(domain));
        Assert.True(await GuestCluster.HasManagedSaveAsync(domain), $"{domain} has no managed save image");
        await _cluster.NovaOkAsync("resume", "vida");
        await WaitForStatusAsync("vida", "ACTIVE");
        Assert.Equal("running", await GuestCluster.DomainStateAsync(domain));
        Assert.False(await GuestCluster.HasManagedSaveAsync(domain), $"{domain} kept its managed save image after resume");
        // The restored guest hears the power button at once: it is not booting (qemu starts console.log afresh).
        await _cluster.NovaOkAsync("stop", "vida");
        await WaitForStatusAsync("vida", "SHUTOFF");
        var afterResume = await File.ReadAllTextAsync(console);
        Assert.Contains("powering off", afterResume);
        Assert.DoesNotContain("login:", afterResume);

        // Rebuild of the stopped guest: a new overlay on the same base, the domain defined again and left off.
        var disk = Path.Combine(directory, "disk");
        var before = new FileInfo(disk).LastWriteTimeUtc;
        var launched = (await _cluster.ShowAsync("vida"))["OS-SRV-USG:launched_at"];
        await _cluster.NovaOkAsync("rebuild", "vida", "cirros");
        // launched_at moves when the rebuild ends (the show right after the request may still be the old view).
        var rebuilt = await _cluster.WaitForServerAsync("vida", s => s["OS-EXT-STS:task_state"] == "-" && s["OS-SRV-USG:launched_at"] != launched,
            ActionTimeout, "rebuilt");
        Assert.Equal(("SHUTOFF", "stopped"), (rebuilt["status"], rebuilt["OS-EXT-STS:vm_state"]));
        Assert.Equal("shut off", await GuestCluster.DomainStateAsync(domain));
        Assert.True(new FileInfo(disk).LastWriteTimeUtc > before, "the rebuild left the old disk");
        Assert.EndsWith($"_base/{GuestCluster.CacheName(Cirros)}", (await GuestCluster.ImageInfoAsync(disk)).GetProperty("full-backing-filename").GetString());

        await _cluster.NovaOkAsync("delete", "vida");
        var clock = Stopwatch.StartNew();
        while ((await _cluster.ListAsync()).Count > 0)
        {
            Assert.True(clock.Elapsed < ActionTimeout, "vida still listed after delete");
            await Task.Delay(500);
        }
        await _cluster.WaitForDomainStateAsync(domain, null, ActionTimeout);
        Assert.False(Directory.Exists(directory), $"{directory} is left after the delete");
        // No tap, no port devices, no DHCP entry left.
        var port = GuestCluster.PortOf(show["id"], 0)[..11];
        foreach (var device in new[] { "tap", "qbr", "qvb", "qvo" })
            Assert.False(GuestCluster.DeviceExists(device + port), $"{device}{port} is left after the delete");
        var hostsFile = Path.Combine(_cluster.StateDirectory, "dhcp", network, "host");
        var waited = Stopwatch.StartNew();
        while (File.Exists(hostsFile) && (await File.ReadAllTextAsync(hostsFile)).Contains($",{address}\n", StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < ActionTimeout, $"the DHCP entry of {address} is still in {hostsFile}");
            await Task.Delay(500);
        }
        Assert.False(Directory.Exists(directory + "_del"), $"{directory}_del is left after the delete");
    });

    [Fact]
    public Task Kill_9_of_a_compute_during_a_spawn_leaves_nothing_stuck_and_no_orphan_domain() => Scenario(async () =>
    {
        await _cluster.UpAsync(computes: 1);
        await _cluster.NovaOkAsync("keypair-add", "miclave");
        var network = await _cluster.PrivadaNetworkIdAsync();

        await _cluster.NovaOkAsync(TestCluster.BootArguments("k-1", network));
        await _cluster.WaitForServerAsync("k-1", s => s["OS-EXT-STS:task_state"] == "spawning" || s["status"] != "BUILD",
            ActionTimeout, "spawning");
        await _cluster.KillNodeAsync("compute1");
        await _cluster.UpAsync(computes: 1);

        // Nova's rule for a build cut short by a restart: ERROR, its half-made guest removed.
        var show = await _cluster.WaitForServerAsync("k-1", s => s["OS-EXT-STS:task_state"] == "-" && s["status"] != "BUILD",
            ActionTimeout, "settled");
        _output.WriteLine($"k-1 after the restart: {show["status"]} power {show["OS-EXT-STS:power_state"]}");
        var domain = show["OS-EXT-SRV-ATTR:instance_name"];
        if (show["status"] == "ERROR") await _cluster.WaitForDomainStateAsync(domain, null, ActionTimeout);
        else Assert.Equal("running", await GuestCluster.DomainStateAsync(domain));

        // Every domain of the cluster belongs to an instance it lists.
        var owned = (await _cluster.ListAsync()).Select(row => row["ID"]).ToHashSet();
        foreach (var own in await _cluster.OwnDomainsAsync())
            Assert.True(own == domain && show["status"] != "ERROR", $"{own} is a domain no instance owns (instances: {string.Join(", ", owned)})");

        await _cluster.NovaOkAsync("delete", "k-1");
        await _cluster.WaitForDomainStateAsync(domain, null, ActionTimeout);
        Assert.Empty(await _cluster.OwnDomainsAsync());
    });

    private async Task AssertGuestFilesAsync(string name, IReadOnlyDictionary<string, string> show)
    {
        var id = show["id"];
        var instances = _cluster.InstancesOf(show["OS-EXT-SRV-ATTR:host"]);
        var directory = Path.Combine(instances, id);
        foreach (var file in new[] { "disk", "disk.info", "libvirt.xml", "console.log" })
            Assert.True(File.Exists(Path.Combine(directory, file)), $"{name}: {file} is missing from {directory}");
        var configDrive = show["config_drive"] == "True";
        Assert.Equal(configDrive, File.Exists(Path.Combine(directory, "disk.config")));
        Assert.True(File.Exists(Path.Combine(instances, "compute_nodes")), "instances/compute_nodes is missing");

        var disk = await GuestCluster.ImageInfoAsync(Path.Combine(directory, "disk"));
        Assert.Equal("qcow2", disk.GetProperty("format").GetString());
        Assert.Equal(1L << 30, disk.GetProperty("virtual-size").GetInt64()); // m1.tiny: 1 GB root disk
        var backing = Path.Combine(instances, "_base", GuestCluster.CacheName(Cirros));
        Assert.Equal(backing, disk.GetProperty("backing-filename").GetString());
        Assert.Equal("raw", (await GuestCluster.ImageInfoAsync(backing)).GetProperty("format").GetString());

        var xml = await File.ReadAllTextAsync(Path.Combine(directory, "libvirt.xml"));
        Assert.Equal(configDrive, xml.Contains("disk.config\"", StringComparison.Ordinal));
        Assert.Contains($"<name>{show["OS-EXT-SRV-ATTR:instance_name"]}</name>", xml);
        Assert.Contains($"<uuid>{id}</uuid>", xml);

        Assert.Contains(show["OS-EXT-SRV-ATTR:instance_name"], await GuestCluster.DomainsAsync());
        Assert.Equal("running", await GuestCluster.DomainStateAsync(show["OS-EXT-SRV-ATTR:instance_name"]));

        // The seed's interface: the port's tap in its qbr bridge, with the port's MAC; libvirt.xml, virsh and the server agree.
        var address = show.First(kv => kv.Key.EndsWith(" network", StringComparison.Ordinal)).Value.Split(',')[0].Trim();
        var portId = GuestCluster.PortOf(id, 0);
        var mac = System.Text.RegularExpressions.Regex.Match(xml, "<mac address=\"([0-9a-f:]{17})\"").Groups[1].Value;
        Assert.StartsWith("fa:16:3e:", mac);
        Assert.Contains($"<source bridge=\"qbr{portId[..11]}\"", xml);
        Assert.Contains($"<target dev=\"tap{portId[..11]}\"", xml);
        Assert.Matches($@"tap{portId[..11]}\s+bridge\s+qbr{portId[..11]}\s+virtio\s+{mac}",
            await GuestCluster.DomIfListAsync(show["OS-EXT-SRV-ATTR:instance_name"]));

        // DHCP gave the guest its fixed IP, and it read its identity from the metadata service, as the seed's cirros.
        var console = await _cluster.WaitForTextAsync(Path.Combine(directory, "console.log"), "login:", GuestCluster.GuestBootTimeout);
        Assert.Contains("ip-route:default via 10.0.0.1 dev eth0", console);
        Assert.Contains($"ip-route:10.0.0.0/24 dev eth0  src {address}", console);
        Assert.Contains("=== datasource: ec2 net ===", console);
        Assert.Contains($"instance-id: i-{Convert.ToInt64(show["OS-EXT-SRV-ATTR:instance_name"]["instance-".Length..], 16):x8}", console);
        Assert.Contains($"local-hostname: {name}.novalocal", console);

        var consoleLog = await _cluster.NovaOkAsync("console-log", name);
        Assert.Contains($"local-hostname: {name}.novalocal", consoleLog);
    }

    private Task WaitForStatusAsync(string name, string status) =>
        _cluster.WaitForServerAsync(name, s => s["status"] == status && s["OS-EXT-STS:task_state"] == "-", ActionTimeout, status);

    private async Task Scenario(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            _output.WriteLine("");
            _output.WriteLine("==== the scenario failed; node logs follow ====");
            _output.WriteLine(_cluster.LogTails());
            throw;
        }
    }
}
