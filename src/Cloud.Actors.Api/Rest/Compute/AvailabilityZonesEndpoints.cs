using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>/os-availability-zone: the zones of the compute hosts; the detail (with hosts) is admin only.</summary>
public sealed class AvailabilityZonesEndpoints(NovaService nova)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/os-availability-zone", JsonBody.Handle((HttpContext http) => Zones(http, detail: false)));
        api.MapGet("/os-availability-zone/detail", JsonBody.Handle((HttpContext http) => Zones(http, detail: true)));
    }

    private async Task<IResult> Zones(HttpContext http, bool detail)
    {
        if (detail) ComputePolicy.RequireAdmin(http, "os-availability-zone:detail");
        var hosts = await nova.Hypervisors();
        var zones = hosts.GroupBy(h => h.Capabilities.AvailabilityZone).OrderBy(g => g.Key, StringComparer.Ordinal);
        return JsonBody.Write(new JsonObject
        {
            ["availabilityZoneInfo"] = new JsonArray(zones.Select(zone => (JsonNode)new JsonObject
            {
                ["zoneName"] = zone.Key,
                ["zoneState"] = new JsonObject { ["available"] = zone.Any(h => h.Up && h.Capabilities.Enabled) },
                ["hosts"] = detail ? Hosts(zone) : null,
            }).ToArray()),
        });
    }

    private static JsonObject Hosts(IEnumerable<Domain.Messages.HostView> hosts)
    {
        var view = new JsonObject();
        foreach (var h in hosts)
            view[h.Capabilities.Host] = new JsonObject
            {
                ["nova-compute"] = new JsonObject
                {
                    ["available"] = h.Up,
                    ["active"] = h.Capabilities.Enabled,
                    ["updated_at"] = null,
                },
            };
        return view;
    }
}
