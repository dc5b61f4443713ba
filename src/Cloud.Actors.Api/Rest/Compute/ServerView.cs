using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// Nova's server views (nova/api/openstack/compute/views/servers.py) at a microversion: the fields of the seed's
/// `nova show`, the OS-EXT-SRV-ATTR:* host attributes for admins only, and fault on ERROR.
/// </summary>
public sealed class ServerView(string baseUrl, ApiVersion version, bool admin)
{
    // Nova shows progress only while a server is in one of these (views/servers.py _progress_statuses).
    private static readonly string[] ProgressStatuses = ["ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"];

    public JsonObject Basic(InstanceState s) => new()
    {
        ["id"] = s.Id.ToString(),
        ["name"] = s.Spec.Name,
        ["links"] = Links("servers", s.Id.ToString()),
    };

    /// <summary>
    /// The answer of PUT /servers/{id} and of rebuild: up to 2.74 Nova's view without the extensions' fields (host,
    /// zone, key, state, usage, security groups, volumes, the addresses' type and MAC), from 2.75 the full one.
    /// </summary>
    public JsonObject Updated(InstanceFound found) => Show(found, extended: version.AtLeast(75));

    public JsonObject Show(InstanceFound found) => Show(found, extended: true);

    private JsonObject Show(InstanceFound found, bool extended)
    {
        var s = found.State;
        var spec = s.Spec;
        var attributes = spec.Attributes ?? ServerAttributes.None;
        var server = new JsonObject
        {
            ["id"] = s.Id.ToString(),
            ["name"] = spec.Name,
            ["status"] = s.Status,
            ["tenant_id"] = spec.ProjectId,
            ["user_id"] = spec.UserId,
            ["metadata"] = new JsonObject(attributes.Metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["hostId"] = InstanceNaming.HostId(spec.ProjectId, s.Host),
            ["image"] = new JsonObject
            {
                ["id"] = spec.Image.Id,
                ["links"] = new JsonArray(Link("bookmark", $"{baseUrl}/images/{spec.Image.Id}")),
            },
            ["flavor"] = Flavor(spec),
            ["created"] = ServerTable.IsoTime(spec.CreatedAt),
            ["updated"] = ServerTable.IsoTime(s.UpdatedAt),
            ["addresses"] = Addresses(spec, extended),
            ["accessIPv4"] = attributes.AccessIPv4 ?? "",
            ["accessIPv6"] = attributes.AccessIPv6 ?? "",
            ["links"] = Links("servers", s.Id.ToString()),
            ["OS-DCF:diskConfig"] = attributes.DiskConfig ?? "MANUAL",
        };
        if (ProgressStatuses.Contains(s.Status)) server["progress"] = 0;
        if (extended)
        {
            server["OS-EXT-AZ:availability_zone"] = spec.AvailabilityZone;
            server["config_drive"] = spec.ConfigDrive ? "True" : "";
            server["key_name"] = spec.KeyName;
            server["OS-SRV-USG:launched_at"] = MicroTime(s.LaunchedAt);
            server["OS-SRV-USG:terminated_at"] = MicroTime(s.TerminatedAt);
            if (spec.Addresses.Length > 0)
                server["security_groups"] = new JsonArray((attributes.SecurityGroups is { Count: > 0 } groups ? groups : ["default"])
                    .Select(g => (JsonNode)new JsonObject { ["name"] = g }).ToArray());
            if (admin)
            {
                server["OS-EXT-SRV-ATTR:host"] = s.Host;
                server["OS-EXT-SRV-ATTR:instance_name"] = spec.InstanceName;
                server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = s.Host;
                if (version.AtLeast(3))
                {
                    server["OS-EXT-SRV-ATTR:reservation_id"] = ReservationId(spec);
                    server["OS-EXT-SRV-ATTR:launch_index"] = spec.LaunchIndex;
                    server["OS-EXT-SRV-ATTR:hostname"] = InstanceNaming.Hostname(spec);
                    server["OS-EXT-SRV-ATTR:kernel_id"] = "";
                    server["OS-EXT-SRV-ATTR:ramdisk_id"] = "";
                    server["OS-EXT-SRV-ATTR:root_device_name"] = "/dev/vda";
                    server["OS-EXT-SRV-ATTR:user_data"] = spec.UserData;
                }
            }
            else if (version.AtLeast(90))
                server["OS-EXT-SRV-ATTR:hostname"] = InstanceNaming.Hostname(spec);
            server["OS-EXT-STS:task_state"] = s.TaskState;
            server["OS-EXT-STS:vm_state"] = s.VmState;
            server["OS-EXT-STS:power_state"] = s.PowerState;
            server["os-extended-volumes:volumes_attached"] = new JsonArray();
        }
        if (s.Fault is { } fault && s.Status is "ERROR" or "DELETED")
        {
            var faultView = new JsonObject
            {
                ["code"] = fault.Code,
                ["created"] = ServerTable.IsoTime(fault.Created),
                ["message"] = fault.Message,
            };
            // Nova hides the details (a traceback) of a 500 from non-admins.
            if (admin || fault.Code != 500) faultView["details"] = fault.Details;
            server["fault"] = faultView;
        }
        if (extended && version.AtLeast(16) && admin) server["host_status"] = found.HostStatus;
        if (version.AtLeast(9)) server["locked"] = false;
        if (version.AtLeast(73)) server["locked_reason"] = null;
        if (version.AtLeast(19)) server["description"] = attributes.Description;
        if (version.AtLeast(26)) server["tags"] = new JsonArray();
        if (version.AtLeast(63)) server["trusted_image_certificates"] = null;
        if (extended && version.AtLeast(71)) server["server_groups"] = new JsonArray();
        return server;
    }

    /// <summary>Up to 2.46 a link to the flavor; from 2.47 the flavor itself, as the instance was built with it.</summary>
    private JsonObject Flavor(InstanceSpec spec) => version.AtLeast(47)
        ? new JsonObject
        {
            ["vcpus"] = spec.Flavor.Vcpus,
            ["ram"] = spec.Flavor.MemoryMb,
            ["disk"] = spec.Flavor.RootGb,
            ["ephemeral"] = spec.Flavor.EphemeralGb,
            ["swap"] = spec.Flavor.SwapMb,
            ["original_name"] = spec.Flavor.Name,
            ["extra_specs"] = new JsonObject(),
        }
        : new JsonObject
        {
            ["id"] = spec.Flavor.Id,
            ["links"] = new JsonArray(Link("bookmark", $"{baseUrl}/flavors/{spec.Flavor.Id}")),
        };

    private static JsonObject Addresses(InstanceSpec spec, bool extended)
    {
        var addresses = new JsonObject();
        foreach (var network in spec.Addresses.GroupBy(a => a.NetworkName))
            addresses[network.Key] = new JsonArray(network.Select(a =>
            {
                var address = new JsonObject { ["version"] = 4, ["addr"] = a.Address };
                if (!extended) return (JsonNode)address;
                address["OS-EXT-IPS:type"] = "fixed";
                address["OS-EXT-IPS-MAC:mac_addr"] = a.Mac;
                return address;
            }).ToArray());
        return addresses;
    }

    public JsonArray Links(string collection, string id) =>
    [
        Link("self", $"{baseUrl}/v2.1/{collection}/{id}"),
        Link("bookmark", $"{baseUrl}/{collection}/{id}"),
    ];

    private static JsonObject Link(string rel, string href) => new() { ["rel"] = rel, ["href"] = href };

    private static string? MicroTime(DateTimeOffset? t) => t is null ? null : ServerTable.MicroTime(t);

    /// <summary>Nova's r-xxxxxxxx, shared by the instances of one request; ours is derived from the first one's id.</summary>
    public static string ReservationId(InstanceSpec spec) => $"r-{spec.Id.ToString("N")[..8]}";
}
