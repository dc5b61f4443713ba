using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Virt.Tests;

/// <summary>
/// The real devices of the hybrid plug, made with `ip` as root (CI runs as root): a port's qbr bridge with its veth
/// pair into the network's brq bridge, found again by the host that made them and by no other, and all gone after unplug.
/// </summary>
public sealed class LinuxBridgeVifsSpecs : IAsyncLifetime
{
    private readonly string _network = Guid.NewGuid().ToString();
    private readonly string _port1 = Guid.NewGuid().ToString();
    private readonly string _port2 = Guid.NewGuid().ToString();
    private readonly Guid _instance = Guid.NewGuid();
    private readonly LinuxBridgeVifs _host = new($"spec host {Guid.NewGuid():N}", new NetworkBridges(NetNamespace.Own, null));

    private static bool Exists(string device) => Directory.Exists($"/sys/class/net/{device}");

    private static string? Master(string device) =>
        new FileInfo($"/sys/class/net/{device}/master").LinkTarget is { } target ? Path.GetFileName(target) : null;

    private GuestNic Nic(string port) => new(port, _network, "fa:16:3e:00:00:01");

    public Task InitializeAsync()
    {
        RequiredTool.Find("ip", "iproute2");
        Assert.True(Environment.UserName == "root", "the plumbing specs make network devices: run them as root, as CI does");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _host.UnplugAsync([_port1, _port2]);

    [Fact]
    public async Task Plugging_makes_the_ports_bridge_and_veth_into_the_networks_bridge_and_unplugging_removes_them()
    {
        await _host.PlugAsync(_instance, [Nic(_port1), Nic(_port2)]);
        await _host.PlugAsync(_instance, [Nic(_port1)]); // again: nothing changes

        var network = VifNames.NetworkBridge(_network);
        foreach (var port in new[] { _port1, _port2 })
        {
            Assert.Equal(VifNames.PortBridge(port), Master(VifNames.PortBridgeEnd(port)));
            Assert.Equal(network, Master(VifNames.NetworkBridgeEnd(port)));
        }
        Assert.Equal(new[] { _port1, _port2 }.Order(), (await _host.ListAsync()).Where(v => v.InstanceId == _instance).Select(v => v.PortId).Order());

        await _host.UnplugAsync([_port1]);
        Assert.False(Exists(VifNames.PortBridge(_port1)));
        Assert.False(Exists(VifNames.PortBridgeEnd(_port1)));
        Assert.True(Exists(network), "the network's bridge stays while a port of it is plugged");

        await _host.UnplugAsync([_port2]);
        await _host.UnplugAsync([_port2]); // again: nothing to do
        Assert.False(Exists(VifNames.PortBridge(_port2)));
        Assert.False(Exists(network), "the network's bridge goes with its last port");
        Assert.Empty(await _host.ListAsync());
    }

    [Fact]
    public async Task A_host_lists_only_the_ports_it_plugged()
    {
        await _host.PlugAsync(_instance, [Nic(_port1)]);
        var other = new LinuxBridgeVifs($"other {Guid.NewGuid():N}", new NetworkBridges(NetNamespace.Own, null));
        Assert.DoesNotContain(await other.ListAsync(), v => v.PortId == _port1);
        Assert.Contains(await _host.ListAsync(), v => v.PortId == _port1 && v.InstanceId == _instance);
    }

    [Fact]
    public async Task With_the_hypervisor_in_another_namespace_the_ports_bridge_is_made_there_and_the_veth_pair_crosses_to_the_hosts()
    {
        // cluster.sh up --netns: the node's own namespace has the network's bridge, libvirtd's has the port's. Here the
        // roles are mirrored (this process plays the node, a namespace the hypervisor), which runs the same code.
        var hypervisor = "vifhv-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await HostCommand.RunAsync("ip", "netns", "add", hypervisor)).Code);
        var host = new LinuxBridgeVifs($"spec host {Guid.NewGuid():N}", new NetworkBridges(NetNamespace.Own, null), new NetNamespace(hypervisor));
        try
        {
            await host.PlugAsync(_instance, [Nic(_port1)]);
            await host.PlugAsync(_instance, [Nic(_port1)]); // again: nothing changes

            var links = await new NetNamespace(hypervisor).LinksAsync();
            Assert.Contains(links, l => l.Device == VifNames.PortBridge(_port1) && l.Alias!.Contains($"port={_port1}"));
            Assert.Contains(links, l => l.Device == VifNames.PortBridgeEnd(_port1) && l.Master == VifNames.PortBridge(_port1));
            Assert.False(Exists(VifNames.PortBridge(_port1)), "the port's bridge is the hypervisor's, not this namespace's");
            Assert.Equal(VifNames.NetworkBridge(_network), Master(VifNames.NetworkBridgeEnd(_port1)));
            Assert.Contains(await host.ListAsync(), v => v.PortId == _port1 && v.InstanceId == _instance);

            await host.UnplugAsync([_port1]);
            Assert.DoesNotContain(await new NetNamespace(hypervisor).LinksAsync(), l => l.Device.EndsWith(_port1[..11], StringComparison.Ordinal));
            Assert.False(Exists(VifNames.NetworkBridgeEnd(_port1)));
            Assert.False(Exists(VifNames.NetworkBridge(_network)), "the network's bridge goes with its last port");
            Assert.Empty(await host.ListAsync());
        }
        finally
        {
            await host.UnplugAsync([_port1]);
            await HostCommand.RunAsync("ip", "netns", "del", hypervisor);
        }
    }
}
