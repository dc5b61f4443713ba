namespace Cloud.Actors.Domain.Networking;

/// <summary>A fixed IP of a port: an address of one of its network's subnets.</summary>
public sealed record PortFixedIp(string SubnetId, string IpAddress);

/// <summary>
/// A Neutron port: a MAC (fa:16:3e:xx:xx:xx) and fixed IPs on one network, plugged into a device (an instance's id,
/// with owner "compute:&lt;zone&gt;") or into nothing yet. <paramref name="CreatedForDevice"/>: made by a boot for its
/// instance, so it goes with the instance (Nova deletes the ports it created and only unbinds the ones it was given).
/// </summary>
public sealed record Port(
    string Id,
    string Name,
    string NetworkId,
    string ProjectId,
    string MacAddress,
    PortFixedIp[] FixedIps,
    string DeviceId,
    string DeviceOwner,
    string Status,
    bool AdminStateUp,
    string Description,
    DateTimeOffset CreatedAt,
    bool CreatedForDevice = false)
{
    public const string Active = "ACTIVE";
    public const string Down = "DOWN";
}

/// <summary>A fixed IP asked for on a new port: a subnet, an address, or both (at least one).</summary>
public sealed record RequestedFixedIp(string? SubnetId, string? IpAddress);
