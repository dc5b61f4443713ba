using System.Globalization;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Api.Application;

/// <summary>The rows of `nova show` for an instance, in novaclient's order and formats (the seed's table).</summary>
public static class ServerTable
{
    public static IReadOnlyList<(string Property, string Value)> Rows(InstanceFound found, bool admin)
    {
        var s = found.State;
        var spec = s.Spec;
        var rows = new List<(string, string)> { ("OS-DCF:diskConfig", "MANUAL"), ("OS-EXT-AZ:availability_zone", spec.AvailabilityZone) };
        if (admin)
        {
            rows.Add(("OS-EXT-SRV-ATTR:host", s.Host ?? "-"));
            rows.Add(("OS-EXT-SRV-ATTR:hypervisor_hostname", s.Host ?? "-"));
            rows.Add(("OS-EXT-SRV-ATTR:instance_name", spec.InstanceName));
        }
        rows.AddRange(
        [
            ("OS-EXT-STS:power_state", s.PowerState.ToString(CultureInfo.InvariantCulture)),
            ("OS-EXT-STS:task_state", s.TaskState ?? "-"),
            ("OS-EXT-STS:vm_state", s.VmState),
            ("OS-SRV-USG:launched_at", MicroTime(s.LaunchedAt)),
            ("OS-SRV-USG:terminated_at", MicroTime(s.TerminatedAt)),
            ("accessIPv4", ""),
            ("accessIPv6", ""),
            ("config_drive", spec.ConfigDrive ? "True" : ""),
            ("created", IsoTime(spec.CreatedAt)),
        ]);
        if (s.Fault is { } fault)
            rows.Add(("fault", System.Text.Json.JsonSerializer.Serialize(new
            {
                message = fault.Message, code = fault.Code, details = fault.Details, created = IsoTime(fault.Created),
            })));
        rows.AddRange(
        [
            ("flavor", $"{spec.Flavor.Name} ({spec.Flavor.Id})"),
            ("hostId", InstanceNaming.HostId(spec.ProjectId, s.Host)),
        ]);
        if (admin && found.HostStatus != "") rows.Add(("host_status", found.HostStatus));
        rows.AddRange(
        [
            ("id", spec.Id.ToString()),
            ("image", $"{spec.Image.Name} ({spec.Image.Id})"),
            ("key_name", spec.KeyName ?? "-"),
            ("metadata", "{}"),
            ("name", spec.Name),
            ("os-extended-volumes:volumes_attached", "[]"),
        ]);
        foreach (var network in spec.Addresses.GroupBy(a => a.NetworkName))
            rows.Add(($"{network.Key} network", string.Join(", ", network.Select(a => a.Address))));
        rows.AddRange(
        [
            ("progress", "0"),
            ("security_groups", "default"),
            ("status", s.Status),
            ("tenant_id", spec.ProjectId),
            ("updated", IsoTime(s.UpdatedAt)),
            ("user_id", spec.UserId),
        ]);
        return rows;
    }

    /// <summary>nova list's row: ID | Name | Status | Task State | Power State | Networks.</summary>
    public static string[] ListRow(InstanceFound found)
    {
        var s = found.State;
        var networks = string.Join("; ", s.Spec.Addresses.GroupBy(a => a.NetworkName)
            .Select(g => $"{g.Key}={string.Join(", ", g.Select(a => a.Address))}"));
        return [s.Id.ToString(), s.Spec.Name, s.Status, s.TaskState ?? "-", PowerState.Name(s.PowerState), networks];
    }

    public static readonly string[] ListHeader = ["ID", "Name", "Status", "Task State", "Power State", "Networks"];

    public static string IsoTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string MicroTime(DateTimeOffset? t) =>
        t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) : "-";
}
