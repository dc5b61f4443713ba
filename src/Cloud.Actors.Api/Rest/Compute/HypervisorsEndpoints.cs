using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>/os-hypervisors (admin only, as Nova's policy): the compute hosts the scheduler knows.</summary>
public sealed class HypervisorsEndpoints(NovaService nova)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/os-hypervisors", JsonBody.Handle((HttpContext http) => List(http, detail: false)));
        api.MapGet("/os-hypervisors/detail", JsonBody.Handle((HttpContext http) => List(http, detail: true)));
        api.MapGet("/os-hypervisors/{id}", Show);
        api.MapGet("/os-hypervisors/{id}/uptime", Uptime);
    }

    private async Task<IResult> List(HttpContext http, bool detail)
    {
        ComputePolicy.RequireAdmin(http, detail ? "os-hypervisors:list-detail" : "os-hypervisors:list");
        var hosts = await Hosts();
        return JsonBody.Write(new JsonObject
        {
            ["hypervisors"] = new JsonArray(hosts.Select((h, i) => (JsonNode)View(http, h, i, detail)).ToArray()),
        });
    }

    private async Task<IResult> Show(HttpContext http, string id)
    {
        ComputePolicy.RequireAdmin(http, "os-hypervisors:show");
        var hosts = await Hosts();
        for (var i = 0; i < hosts.Count; i++)
            if (Id(http, hosts[i], i) == id)
                return JsonBody.Write(new JsonObject { ["hypervisor"] = View(http, hosts[i], i, detail: true) });
        throw new NovaException(404, $"Hypervisor with ID '{id}' could not be found.");
    }

    /// <summary>
    /// Nova runs `uptime` on the host through the virt driver; the compute hosts do not report it, so this is
    /// Nova's answer for a driver without it (501), which the clients expect and skip. From 2.88 the route is
    /// gone (uptime is a field of the hypervisor), as in Nova.
    /// </summary>
    private async Task<IResult> Uptime(HttpContext http, string id)
    {
        if (http.Microversion().AtLeast(88)) throw new NovaException(404, "The resource could not be found.");
        ComputePolicy.RequireAdmin(http, "os-hypervisors:uptime");
        await Show(http, id);
        throw new NovaException(501, "Virt driver does not implement uptime function.");
    }

    private async Task<List<HostView>> Hosts() =>
        (await nova.Hypervisors()).OrderBy(h => h.Capabilities.Host, StringComparer.Ordinal).ToList();

    /// <summary>Integers before 2.53 (Nova's row ids; ours the position by host name), a uuid from 2.53.</summary>
    private static string Id(HttpContext http, HostView host, int index) => http.Microversion().AtLeast(53)
        ? new Guid(MD5.HashData(Encoding.UTF8.GetBytes(host.Capabilities.Host))).ToString()
        : (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject View(HttpContext http, HostView host, int index, bool detail)
    {
        var c = host.Capabilities;
        var version = http.Microversion();
        var view = new JsonObject
        {
            ["id"] = version.AtLeast(53) ? Id(http, host, index) : index + 1,
            ["hypervisor_hostname"] = c.HypervisorHostname,
            ["state"] = host.Up ? "up" : "down",
            ["status"] = c.Enabled ? "enabled" : "disabled",
        };
        if (!detail) return view;
        view["hypervisor_type"] = c.HypervisorType;
        view["hypervisor_version"] = 1000000;
        view["host_ip"] = "127.0.0.1";
        view["service"] = new JsonObject
        {
            ["host"] = c.Host,
            // The id os-services gives this host's nova-compute (the list's scheduler row comes first).
            ["id"] = version.AtLeast(53) ? ComputeServiceView.IdOf(ComputeServiceView.ComputeBinary, c.Host) : index + 2,
            ["disabled_reason"] = c.DisabledReason,
        };
        // The host's CPU model is not reported here: an empty description, a JSON string up to 2.27, an object from 2.28.
        view["cpu_info"] = version.AtLeast(28) ? new JsonObject() : "{}";
        if (version.AtLeast(88))
        {
            view["uptime"] = null;
            return view;
        }
        // Before 2.88 the resource figures are part of the view.
        view["vcpus"] = c.Vcpus;
        view["memory_mb"] = c.MemoryMb;
        view["local_gb"] = c.DiskGb;
        view["vcpus_used"] = host.Used.Vcpus;
        view["memory_mb_used"] = host.Used.MemoryMb;
        view["local_gb_used"] = host.Used.DiskGb;
        view["free_ram_mb"] = c.MemoryMb - host.Used.MemoryMb;
        view["free_disk_gb"] = c.DiskGb - host.Used.DiskGb;
        view["current_workload"] = 0;
        view["running_vms"] = host.RunningVms;
        view["disk_available_least"] = c.DiskGb - host.Used.DiskGb;
        return view;
    }
}
