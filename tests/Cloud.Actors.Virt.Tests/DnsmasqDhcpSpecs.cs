using System.Diagnostics;
using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Virt.Tests;

/// <summary>
/// Neutron's DHCP agent with real dnsmasq, as root (CI runs as root): a network's namespace with its gateway, a dnsmasq
/// that gives a port's MAC its address and nothing to another MAC, started again after it dies, and all of it gone when
/// the network is no longer served. The client is busybox udhcpc in a namespace of its own on the network's bridge.
/// </summary>
public sealed class DnsmasqDhcpSpecs : IAsyncLifetime
{
    private readonly string _network = Guid.NewGuid().ToString();
    private readonly string _client = "dhcpspec-" + Guid.NewGuid().ToString("N")[..8];
    private readonly TempDirectory _run = new();
    private DnsmasqDhcp _dhcp = null!;

    private DhcpNetwork Network(params DhcpHost[] hosts) =>
        new(_network, [new DhcpSubnet("subnet-1", "10.77.0.0/24", "10.77.0.1", [])], hosts);

    public Task InitializeAsync()
    {
        RequiredTool.Find("dnsmasq", "dnsmasq-base");
        RequiredTool.Find("busybox", "busybox-static");
        Assert.True(Environment.UserName == "root", "the DHCP specs make namespaces and run dnsmasq: run them as root, as CI does");
        _dhcp = new DnsmasqDhcp(Path.Combine(_run.Path, "dhcp"), new NetworkBridges(NetNamespace.Own, null));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _dhcp.SyncAsync([]);
        await HostCommand.RunAsync("ip", "netns", "del", _client);
        _run.Dispose();
    }

    /// <summary>A client namespace on the network's bridge whose NIC has <paramref name="mac"/>; the address udhcpc got, or null.</summary>
    private async Task<string?> Lease(string mac)
    {
        await HostCommand.RunAsync("ip", "netns", "del", _client);
        await HostCommand.RunAsync("ip", "netns", "add", _client);
        var (outside, inside) = ("dhs" + _client[^8..], "eth0");
        await HostCommand.RunAsync("ip", "link", "del", outside);
        Assert.Equal(0, (await HostCommand.RunAsync("ip", "link", "add", "name", outside, "type", "veth", "peer", "name", inside, "netns", _client)).Code);
        await HostCommand.RunAsync("ip", "link", "set", "dev", outside, "master", VifNames.NetworkBridge(_network), "up");
        await HostCommand.RunAsync("ip", "-n", _client, "link", "set", "dev", inside, "address", mac, "up");
        // udhcpc without a script: -q quits after the lease, -n gives up after -t tries; the lease shows in its output.
        var (code, output) = await HostCommand.RunAsync("ip", "netns", "exec", _client, "busybox", "udhcpc", "-i", inside, "-q", "-n", "-t", "3", "-T", "1", "-s", "/bin/true");
        await HostCommand.RunAsync("ip", "link", "del", outside);
        var lease = output.Split('\n').FirstOrDefault(l => l.Contains("lease of ", StringComparison.Ordinal));
        return code == 0 && lease is not null ? lease.Split("lease of ")[1].Split(' ')[0] : null;
    }

    private static int? Pid(string pidFile) => File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) ? pid : null;

    [Fact]
    public async Task A_ports_mac_gets_its_fixed_ip_another_mac_nothing_and_a_dead_dnsmasq_is_started_again()
    {
        await _dhcp.SyncAsync([Network(new DhcpHost("fa:16:3e:77:00:05", "10.77.0.5", "host-10-77-0-5"))]);
        var ns = VifNames.DhcpNamespace(_network);
        var addresses = (await HostCommand.RunAsync("ip", "-n", ns, "addr", "show")).Output;
        Assert.Contains("10.77.0.1/24", addresses);
        Assert.Contains("169.254.169.254/32", addresses);

        Assert.Equal("10.77.0.5", await Lease("fa:16:3e:77:00:05"));
        Assert.Null(await Lease("fa:16:3e:77:00:99"));

        // A new port: the hosts file changes and dnsmasq reads it (SIGHUP), without a restart.
        var pidFile = Path.Combine(_run.Path, "dhcp", _network, "pid");
        var pid = Pid(pidFile);
        await _dhcp.SyncAsync([Network(new DhcpHost("fa:16:3e:77:00:05", "10.77.0.5", "host-10-77-0-5"), new DhcpHost("fa:16:3e:77:00:06", "10.77.0.6", "host-10-77-0-6"))]);
        Assert.Equal(pid, Pid(pidFile));
        Assert.Equal("10.77.0.6", await Lease("fa:16:3e:77:00:06"));

        // Killed: the next pass starts it again.
        Process.GetProcessById(pid!.Value).Kill();
        for (var waited = Stopwatch.StartNew(); DnsmasqDhcp.IsAlive(pid.Value); await Task.Delay(20))
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"dnsmasq {pid} outlived SIGKILL");
        await _dhcp.SyncAsync([Network(new DhcpHost("fa:16:3e:77:00:05", "10.77.0.5", "host-10-77-0-5"), new DhcpHost("fa:16:3e:77:00:06", "10.77.0.6", "host-10-77-0-6"))]);
        Assert.NotEqual(pid, Pid(pidFile));
        Assert.Equal("10.77.0.5", await Lease("fa:16:3e:77:00:05"));
    }

    [Fact]
    public async Task A_network_no_longer_served_leaves_no_namespace_no_dnsmasq_and_no_bridge()
    {
        await _dhcp.SyncAsync([Network(new DhcpHost("fa:16:3e:77:00:05", "10.77.0.5", "host-10-77-0-5"))]);
        var pid = Pid(Path.Combine(_run.Path, "dhcp", _network, "pid"))!.Value;

        await _dhcp.SyncAsync([]);

        Assert.False(File.Exists($"/run/netns/{VifNames.DhcpNamespace(_network)}"));
        Assert.False(DnsmasqDhcp.IsAlive(pid), $"dnsmasq {pid} still runs");
        Assert.False(Directory.Exists($"/sys/class/net/{VifNames.NetworkBridge(_network)}"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_run.Path, "dhcp")));
    }
}
