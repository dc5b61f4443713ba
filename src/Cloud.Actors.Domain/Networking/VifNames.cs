namespace Cloud.Actors.Domain.Networking;

/// <summary>
/// Neutron's device names, so `ip link`, `brctl show` and `virsh domiflist` look as on a Neutron node (the seed's
/// <c>tapd440070c-5a</c> in <c>qbrd440070c-5a</c>). A port's devices carry the first 11 characters of its id
/// (Linux allows 15 per name), a network's bridge and namespaces those of the network's id.
/// </summary>
public static class VifNames
{
    private const int IdChars = 11;

    /// <summary>The guest's tap device (libvirt's &lt;target dev&gt;), made by libvirt when the domain starts.</summary>
    public static string Tap(string portId) => "tap" + Short(portId);

    /// <summary>The port's own bridge the tap is attached to (os-vif's OVS hybrid plug: qbr).</summary>
    public static string PortBridge(string portId) => "qbr" + Short(portId);

    /// <summary>The veth end in the port's bridge.</summary>
    public static string PortBridgeEnd(string portId) => "qvb" + Short(portId);

    /// <summary>The veth end in the network's bridge.</summary>
    public static string NetworkBridgeEnd(string portId) => "qvo" + Short(portId);

    /// <summary>The network's bridge on a host (Neutron's linuxbridge agent: brq), where every port of the network there meets.</summary>
    public static string NetworkBridge(string networkId) => "brq" + Short(networkId);

    /// <summary>The network's VXLAN device on a host, in its bridge (Neutron's linuxbridge agent: vxlan-&lt;VNI&gt;).</summary>
    public static string Vxlan(int segmentationId) => "vxlan-" + segmentationId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The namespace of the network's DHCP server.</summary>
    public static string DhcpNamespace(string networkId) => "qdhcp-" + networkId;

    private static string Short(string id) =>
        id.Length >= IdChars ? id[..IdChars] : throw new ArgumentException($"'{id}' is too short for a device name", nameof(id));
}
