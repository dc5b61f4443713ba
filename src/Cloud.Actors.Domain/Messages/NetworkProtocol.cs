using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Domain.Messages;

// The network service's protocol (the "network" singleton, Neutron's server). Every create is idempotent by the id the
// caller chose: a copy of a request (the API resends slow asks, a hand-over's proxy may deliver twice) answers what the
// first one made, never a second one.

/// <summary>Create a network; answered with <see cref="NetworkAnswer"/> or <see cref="NetworkingRejected"/>.</summary>
public sealed record CreateNetworkRequest(VirtualNetwork Network) : IClusterMessage;

/// <summary>Delete a network and its subnets; refused (409 NetworkInUse) while ports other than DHCP's are on it.</summary>
public sealed record DeleteNetworkRequest(string NetworkId) : IClusterMessage;

/// <summary>Create a subnet (already completed by <see cref="Subnet.Complete"/>); answered with <see cref="SubnetAnswer"/>.</summary>
public sealed record CreateSubnetRequest(Subnet Subnet) : IClusterMessage;

/// <summary>Delete a subnet; refused (409 SubnetInUse) while a port holds one of its addresses.</summary>
public sealed record DeleteSubnetRequest(string SubnetId) : IClusterMessage;

/// <summary>
/// Create a port on a network. <paramref name="FixedIps"/> empty: one address from the network's first subnet with
/// room. <paramref name="MacAddress"/> null: a new unique one.
/// </summary>
public sealed record CreatePortRequest(
    string Id,
    string NetworkId,
    string ProjectId,
    string Name,
    string DeviceId,
    string DeviceOwner,
    RequestedFixedIp[] FixedIps,
    string? MacAddress,
    bool AdminStateUp,
    bool CreatedForDevice,
    DateTimeOffset At) : IClusterMessage;

/// <summary>Plug an unbound port into a device (a boot given a port); a copy for the same device answers the port again.</summary>
public sealed record BindPortRequest(string PortId, string DeviceId, string DeviceOwner) : IClusterMessage;

/// <summary>Delete a port (idempotent: an unknown one answers 404, which a release treats as done).</summary>
public sealed record DeletePortRequest(string PortId) : IClusterMessage;

/// <summary>
/// The device (an instance) is gone: its ports made for it are deleted, the ones it was given are unbound. Idempotent;
/// answered with <see cref="NetworkingDone"/>.
/// </summary>
public sealed record ReleaseDevicePorts(string[] DeviceIds) : IClusterMessage;

/// <summary>The networks and subnets <paramref name="ProjectId"/> sees (its own and shared ones); null: all (admin).</summary>
public sealed record ListNetworks(string? ProjectId) : IClusterMessage;

public sealed record NetworksAnswer(VirtualNetwork[] Networks, Subnet[] Subnets) : IClusterMessage;

/// <summary>Ports by filters (each null: any); <paramref name="ProjectId"/> null: every project's (admin).</summary>
public sealed record ListPorts(string? ProjectId, string? DeviceId = null, string? NetworkId = null, string? PortId = null,
    string? IpAddress = null, string? SubnetId = null) : IClusterMessage;

public sealed record PortsAnswer(Port[] Ports) : IClusterMessage;

public sealed record NetworkAnswer(VirtualNetwork Network, string[] SubnetIds) : IClusterMessage;

public sealed record SubnetAnswer(Subnet Subnet) : IClusterMessage;

public sealed record PortAnswer(Port Port) : IClusterMessage;

public sealed record NetworkingDone : IClusterMessage
{
    public static readonly NetworkingDone Instance = new();
}

/// <summary>A refusal with Neutron's HTTP code, error type (NeutronError.type) and message.</summary>
public sealed record NetworkingRejected(int Code, string Type, string Message) : IClusterMessage;

/// <summary>
/// The directory's instances and their fixed IPs, sent after it recovers: the network service makes the ports of
/// those it has none for (instances booted before it existed), under <see cref="PortIds.ForInstance"/>.
/// </summary>
public sealed record AdoptInstancePorts(InstanceAddresses[] Instances) : IClusterMessage;

public sealed record InstanceAddresses(Guid InstanceId, string ProjectId, string AvailabilityZone, Instances.FixedIp[] Addresses);
