using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Node;

/// <summary>A node's side of its guests' networks, from its settings (cloud-actors.network.vxlan in hocon/base.conf).</summary>
public static class NodeNetwork
{
    private static readonly ConditionalWeakTable<NodeSettings, NetworkBridges> PerNode = new();

    /// <summary>
    /// The networks' bridges of this node, reaching other hosts through VXLAN when the node has a tunnel address: one
    /// per node, which its compute host and its DHCP agent share, so neither removes a bridge the other is attaching to.
    /// </summary>
    public static NetworkBridges Bridges(NodeSettings settings) => PerNode.GetValue(settings, s => new NetworkBridges(NetNamespace.Own, Tunnel(s)));

    public static VxlanTunnel? Tunnel(NodeSettings settings)
    {
        if (settings.Config.GetConfig("cloud-actors.network.vxlan") is not { } vxlan || vxlan.GetString("local-ip", "") is not { Length: > 0 } local)
            return null;
        if (!IPAddress.TryParse(local, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"cloud-actors.network.vxlan.local-ip (CLOUD_ACTORS_VXLAN_LOCAL_IP): '{local}' is not an IPv4 address");
        var group = vxlan.GetString("group", "239.1.1.1");
        if (!IPAddress.TryParse(group, out var multicast) || multicast.AddressFamily != AddressFamily.InterNetwork || multicast.GetAddressBytes()[0] is < 224 or > 239)
            throw new ArgumentException($"cloud-actors.network.vxlan.group: '{group}' is not an IPv4 multicast address (224.0.0.0/4)");
        var port = vxlan.GetInt("udp-port", 4789);
        if (port is < 1 or > 65535) throw new ArgumentException($"cloud-actors.network.vxlan.udp-port: {port} is not a UDP port");
        return new VxlanTunnel(address.ToString(), multicast.ToString(), port);
    }
}
