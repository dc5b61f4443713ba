using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Instances;

/// <summary>
/// Everything fixed when a boot is accepted: the instance's identity and what it was built from.
/// <paramref name="ConfigDrive"/>: the user asked for a config drive (Nova makes none by default; the metadata service serves).
/// <paramref name="UserData"/>: Nova's user_data, base64 as given; the metadata service and config drive serve it decoded.
/// <paramref name="Attributes"/>: metadata, access IPs, description and security groups, as given (null: none given).
/// It travels from the directory to the scheduler and the chosen compute host.
/// </summary>
public sealed record InstanceSpec(
    Guid Id,
    long Number,
    string Name,
    string ProjectId,
    string UserId,
    Flavor Flavor,
    InstanceImage Image,
    string? KeyName,
    string? PublicKey,
    FixedIp[] Addresses,
    string AvailabilityZone,
    int LaunchIndex,
    DateTimeOffset CreatedAt,
    bool ConfigDrive = false,
    string? UserData = null,
    ServerAttributes? Attributes = null)
{
    /// <summary>The hypervisor's name for the instance, as Nova's instance_name_template.</summary>
    public string InstanceName => InstanceNaming.DomainName(Number);

    /// <summary>
    /// The instance's ports, one per NIC in the order of its addresses (eth0 first): id, network and MAC. An address
    /// recorded before ports were named is on <see cref="Networking.PortIds.ForInstance"/> of its index.
    /// </summary>
    public IReadOnlyList<(string PortId, string NetworkId, string Mac)> Ports() =>
        Addresses
            .Select((ip, index) => (ip.PortId ?? Networking.PortIds.ForInstance(Id, index), ip.NetworkId, ip.Mac.ToLowerInvariant()))
            .DistinctBy(port => port.Item1)
            .ToList();
}

/// <summary>The part of an image an instance keeps: enough to show it and to schedule on its properties.</summary>
public sealed record InstanceImage(string Id, string Name, IReadOnlyDictionary<string, string> Properties);

/// <summary>
/// A fixed IP of the instance on a network, with its MAC and the port it is on (null in specs accepted before ports
/// were named here: those ports' ids are <see cref="Networking.PortIds.ForInstance"/> of the NIC's index), and the
/// network's VXLAN id (null in specs accepted before networks had one: such a NIC reaches only its own host).
/// </summary>
public sealed record FixedIp(string NetworkId, string NetworkName, string Address, string Mac, string? PortId = null, int? SegmentationId = null);
