namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// How a host's network bridges meet those of other hosts (Neutron's [vxlan] section): the host's own address on the
/// underlay (local_ip), the multicast group every host joins (vxlan_group; Neutron's default mode, without
/// l2population: a frame for an unknown MAC goes to every host of the group, which learns where each MAC is) and the
/// UDP port (IANA's 4789).
/// </summary>
public sealed record VxlanTunnel(string LocalIp, string Group, int UdpPort = 4789)
{
    /// <summary>The MTU of every guest network; the tunnel carries it whole, so the underlay needs this plus VXLAN's 50 bytes.</summary>
    public const int GuestMtu = 1500;

    /// <summary>What VXLAN adds to each frame: outer Ethernet 14, IPv4 20, UDP 8, VXLAN 8.</summary>
    public const int Overhead = 50;
}
