using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Virt.Tests;

/// <summary>
/// A network across two hosts: this process's namespace is one host, whose network bridge and VXLAN device
/// <see cref="NetworkBridges"/> makes; a namespace set up by hand with iproute2 is the other, as any VXLAN host of the
/// same group and port would be. A guest stand-in on each side (a namespace on each bridge) reaches the other one,
/// with full-size frames; a tunnel over an underlay too small for them is refused, and the bridge goes with its
/// last port, the VXLAN device with it.
/// </summary>
public sealed class NetworkBridgesSpecs : IAsyncLifetime
{
    private const string Group = "239.1.1.1";
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly string _network = Guid.NewGuid().ToString();
    private readonly int _vni = 16_000_000 + Random.Shared.Next(700_000);
    private readonly int _octet = Random.Shared.Next(1, 250);

    private string Remote => "vxr-" + _id;
    private string Underlay => "vxu" + _id;
    private string LocalGuest => "vxg1-" + _id;
    private string RemoteGuest => "vxg2-" + _id;
    private string LocalIp => $"10.249.{_octet}.1";
    private string RemoteIp => $"10.249.{_octet}.2";
    private string Bridge => VifNames.NetworkBridge(_network);

    public async Task InitializeAsync()
    {
        RequiredTool.Find("ip", "iproute2");
        RequiredTool.Find("busybox", "busybox-static");
        Assert.True(Environment.UserName == "root", "the VXLAN specs make namespaces and devices: run them as root, as CI does");
        // The underlay: a veth from this namespace to the remote host's, with room for VXLAN's 50 bytes over 1500.
        await Run("ip", "netns", "add", Remote);
        await Run("ip", "link", "add", "name", Underlay, "mtu", "9000", "type", "veth", "peer", "name", "eth0", "mtu", "9000", "netns", Remote);
        await Run("ip", "addr", "add", LocalIp + "/30", "dev", Underlay);
        await Run("ip", "link", "set", "dev", Underlay, "up");
        await Run("ip", "-n", Remote, "addr", "add", RemoteIp + "/30", "dev", "eth0");
        await Run("ip", "-n", Remote, "link", "set", "dev", "eth0", "up");
        // The remote host's side of the network, as Neutron's linuxbridge agent makes it.
        var vxlan = VifNames.Vxlan(_vni);
        await Run("ip", "-n", Remote, "link", "add", "name", vxlan, "type", "vxlan", "id", $"{_vni}", "local", RemoteIp, "group", Group, "dev", "eth0", "dstport", "4789");
        await Run("ip", "-n", Remote, "link", "set", "dev", vxlan, "mtu", "1500");
        await Run("ip", "-n", Remote, "link", "add", "name", "brq", "type", "bridge");
        await Run("ip", "-n", Remote, "link", "set", "dev", vxlan, "master", "brq", "up");
        await Run("ip", "-n", Remote, "link", "set", "dev", "brq", "up");
        await Guest(RemoteGuest, Remote, "brq", "192.168.250.2");
    }

    public async Task DisposeAsync()
    {
        // The guests first: with them go their veths, and the bridge is left unused (whatever a failed test left).
        foreach (var ns in new[] { LocalGuest, RemoteGuest, Remote }) await HostCommand.RunAsync("ip", "netns", "del", ns);
        await new NetworkBridges(NetNamespace.Own, null).RemoveIfUnusedAsync(Bridge, CancellationToken.None);
        await HostCommand.RunAsync("ip", "link", "del", "dev", Underlay);
        await HostCommand.RunAsync("ip", "link", "del", "dev", "vxlan-" + (_vni + 1));
    }

    [Fact]
    public async Task A_network_bridge_with_its_vxlan_device_reaches_the_same_network_on_another_host_and_goes_with_its_last_port()
    {
        var bridges = new NetworkBridges(NetNamespace.Own, new VxlanTunnel(LocalIp, Group));
        // A port of this host (as qvo… would be) attached to the network: the bridge and its VXLAN device are made for it.
        await Guest(LocalGuest, null, null, "192.168.250.1");
        Assert.Equal(Bridge, await bridges.AttachAsync(_network, _vni, "p" + LocalGuest, CancellationToken.None));
        Assert.Equal(Bridge, await bridges.AttachAsync(_network, _vni, "p" + LocalGuest, CancellationToken.None)); // again: nothing changes

        var (_, details) = await HostCommand.RunAsync("ip", "-d", "link", "show", "dev", VifNames.Vxlan(_vni));
        Assert.Contains($"vxlan id {_vni} group {Group} local {LocalIp} dev {Underlay}", details);
        Assert.Contains("dstport 4789", details);
        Assert.Contains("mtu 1500", details);
        Assert.Contains($"master {Bridge}", details);

        // This host's port and the remote guest: a full 1500-byte packet each way.
        var (code, ping) = await HostCommand.RunAsync("ip", "netns", "exec", LocalGuest, "busybox", "ping", "-c", "2", "-W", "5", "-s", "1472", "192.168.250.2");
        Assert.True(code == 0, $"the remote guest did not answer over VXLAN:\n{ping}");

        // The network's last port goes: its bridge and VXLAN device go too.
        await Run("ip", "link", "del", "dev", "p" + LocalGuest);
        await bridges.RemoveIfUnusedAsync(Bridge, CancellationToken.None);
        Assert.False(Directory.Exists($"/sys/class/net/{Bridge}"));
        Assert.False(Directory.Exists($"/sys/class/net/{VifNames.Vxlan(_vni)}"));
    }

    [Fact]
    public async Task A_tunnel_over_an_underlay_too_small_for_full_frames_is_refused_naming_the_device()
    {
        await Run("ip", "link", "set", "dev", Underlay, "mtu", "1500");
        var bridges = new NetworkBridges(NetNamespace.Own, new VxlanTunnel(LocalIp, Group));
        await Guest(LocalGuest, null, null, "192.168.250.1");
        var refused = await Assert.ThrowsAsync<VifException>(() => bridges.AttachAsync(_network, _vni + 1, "p" + LocalGuest, CancellationToken.None));
        Assert.Contains(Underlay, refused.Message);
        Assert.Contains("1550", refused.Message);
        Assert.False(Directory.Exists($"/sys/class/net/{VifNames.Vxlan(_vni + 1)}"), "no half-made VXLAN device is left");
    }

    [Fact]
    public async Task A_local_address_no_device_holds_is_refused()
    {
        var bridges = new NetworkBridges(NetNamespace.Own, new VxlanTunnel("10.249.255.254", Group));
        await Guest(LocalGuest, null, null, "192.168.250.1");
        var refused = await Assert.ThrowsAsync<VifException>(() => bridges.AttachAsync(_network, _vni, "p" + LocalGuest, CancellationToken.None));
        Assert.Contains("10.249.255.254", refused.Message);
    }

    /// <summary>
    /// A guest stand-in: a namespace whose eth0 is a veth, its other end p&lt;ns&gt; (in <paramref name="hostNs"/>, or here)
    /// in <paramref name="bridge"/>, or left for the code under test to attach.
    /// </summary>
    private static async Task Guest(string ns, string? hostNs, string? bridge, string address)
    {
        string[] On(params string[] args) => hostNs is null ? args : ["-n", hostNs, .. args];
        await Run("ip", "netns", "add", ns);
        await Run("ip", On("link", "add", "name", "p" + ns, "type", "veth", "peer", "name", "eth0", "netns", ns));
        await Run("ip", bridge is null ? On("link", "set", "dev", "p" + ns, "up") : On("link", "set", "dev", "p" + ns, "master", bridge, "up"));
        await Run("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        await Run("ip", "-n", ns, "link", "set", "dev", "eth0", "up");
    }

    private static async Task Run(string tool, params string[] arguments)
    {
        var (code, output) = await HostCommand.RunAsync(tool, arguments);
        Assert.True(code == 0, $"{tool} {string.Join(' ', arguments)} exited {code}: {output}");
    }
}
