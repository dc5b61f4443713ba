using Cloud.Actors.Domain.Instances;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Virt.Images;

/// <summary>
/// What an instance learns about itself from its config drive, in the two shapes Nova's metadata has:
/// openstack/latest/meta_data.json and ec2/latest/meta-data.json. Pure: builds JSON, touches no files.
/// </summary>
public sealed record InstanceMetadata
{
    public required Guid Uuid { get; init; }

    /// <summary>The display name as the user typed it; kept verbatim, unicode included.</summary>
    public required string Name { get; init; }

    /// <summary>The cluster-wide instance number: instance-%08x for libvirt, i-%08x for EC2.</summary>
    public required long InstanceNumber { get; init; }

    public int LaunchIndex { get; init; }

    public string AvailabilityZone { get; init; } = "nova";

    /// <summary>Key pair name to public key (OpenSSH format); Nova gives an instance at most one.</summary>
    public IReadOnlyDictionary<string, string> PublicKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>The user's key/value metadata (nova boot --meta).</summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();

    public string? ProjectId { get; init; }

    /// <summary>The flavor's name, EC2's instance-type.</summary>
    public string? FlavorName { get; init; }

    /// <summary>nova boot --user-data, written beside the metadata when present.</summary>
    public byte[]? UserData { get; init; }

    /// <summary>Nova's dhcp_domain: the guest's hostname is &lt;sanitized name&gt;.novalocal.</summary>
    public string DhcpDomain { get; init; } = "novalocal";

    /// <summary>&lt;hostname&gt;.novalocal, as the seed's console shows for test2.</summary>
    public string Hostname => $"{InstanceNaming.Hostname(Name, Uuid)}.{DhcpDomain}";

    public string Ec2InstanceId => $"i-{InstanceNumber:x8}";

    /// <summary>The instance's first fixed IP (EC2's local-ipv4); null on no network.</summary>
    public string? LocalIpv4 { get; init; }

    /// <summary>The instance's NICs, eth0 first: (port id, network id, MAC), for network_data.json.</summary>
    public IReadOnlyList<(string PortId, string NetworkId, string Mac)> Nics { get; init; } = [];

    /// <summary>What the instance's spec says of it: the config drive's and the metadata service's view.</summary>
    public static InstanceMetadata Of(InstanceSpec spec) => new()
    {
        Uuid = spec.Id,
        Name = spec.Name,
        InstanceNumber = spec.Number,
        LaunchIndex = spec.LaunchIndex,
        AvailabilityZone = spec.AvailabilityZone,
        PublicKeys = spec is { KeyName: { } key, PublicKey: { } publicKey }
            ? new Dictionary<string, string> { [key] = publicKey }
            : new Dictionary<string, string>(),
        ProjectId = spec.ProjectId,
        FlavorName = spec.Flavor.Name,
        UserData = spec.UserData is null ? null : Convert.FromBase64String(spec.UserData),
        LocalIpv4 = spec.Addresses.FirstOrDefault()?.Address,
        Nics = spec.Ports(),
    };

    /// <summary>
    /// openstack/latest/network_data.json: a link per NIC (named after its tap, as Nova does) and a DHCP network on it.
    /// </summary>
    public JsonObject OpenStackNetworkData()
    {
        var links = new JsonArray();
        var networks = new JsonArray();
        var index = 0;
        foreach (var (port, network, mac) in Nics)
        {
            var link = Domain.Networking.VifNames.Tap(port);
            links.Add(new JsonObject
            {
                ["id"] = link, ["vif_id"] = port, ["type"] = "bridge", ["mtu"] = 1500, ["ethernet_mac_address"] = mac,
            });
            networks.Add(new JsonObject
            {
                ["id"] = $"network{index++}", ["type"] = "ipv4_dhcp", ["link"] = link, ["network_id"] = network,
            });
        }
        return new JsonObject { ["links"] = links, ["networks"] = networks, ["services"] = new JsonArray() };
    }

    /// <summary>openstack/latest/meta_data.json.</summary>
    public JsonObject OpenStackMetaData()
    {
        var keys = new JsonArray();
        var publicKeys = new JsonObject();
        foreach (var (name, key) in PublicKeys)
        {
            publicKeys[name] = key;
            keys.Add(new JsonObject { ["name"] = name, ["type"] = "ssh", ["data"] = key });
        }

        var meta = new JsonObject();
        foreach (var (key, value) in Meta) meta[key] = value;

        var data = new JsonObject
        {
            ["uuid"] = Uuid.ToString("D"),
            ["meta"] = meta,
            ["public_keys"] = publicKeys,
            ["keys"] = keys,
            ["hostname"] = Hostname,
            ["name"] = Name,
            ["launch_index"] = LaunchIndex,
            ["availability_zone"] = AvailabilityZone,
            ["devices"] = new JsonArray(),
        };
        if (ProjectId is not null) data["project_id"] = ProjectId;
        return data;
    }

    /// <summary>ec2/latest/meta-data.json.</summary>
    public JsonObject Ec2MetaData()
    {
        // EC2 numbers the keys; Nova puts the one key pair at index 0 under openssh-key.
        var publicKeys = new JsonObject();
        var index = 0;
        foreach (var (name, key) in PublicKeys)
        {
            publicKeys[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["_name"] = $"{index}={name}", ["openssh-key"] = key };
            index++;
        }

        var data = new JsonObject
        {
            ["instance-id"] = Ec2InstanceId,
            ["ami-launch-index"] = LaunchIndex,
            ["hostname"] = Hostname,
            ["local-hostname"] = Hostname,
            ["public-hostname"] = Hostname,
            ["placement"] = new JsonObject { ["availability-zone"] = AvailabilityZone },
            ["public-keys"] = publicKeys,
            ["security-groups"] = new JsonArray("default"),
        };
        if (FlavorName is not null) data["instance-type"] = FlavorName;
        if (LocalIpv4 is not null) data["local-ipv4"] = LocalIpv4;
        return data;
    }
}
