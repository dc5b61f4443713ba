namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// What one network's DHCP server serves: its subnets (each with the gateway the server stands on) and its ports; and
/// the network's VXLAN id, through which its guests on other hosts reach the server.
/// </summary>
public sealed record DhcpNetwork(string NetworkId, IReadOnlyList<DhcpSubnet> Subnets, IReadOnlyList<DhcpHost> Hosts, int? SegmentationId = null);

/// <summary>A DHCP-enabled subnet with a gateway: the server answers on the gateway address and hands it out as the router.</summary>
public sealed record DhcpSubnet(string Id, string Cidr, string GatewayIp, IReadOnlyList<string> DnsServers);

/// <summary>A static lease: a port's MAC gets its fixed IP and host name, nothing else gets an address.</summary>
public sealed record DhcpHost(string MacAddress, string IpAddress, string Hostname);
