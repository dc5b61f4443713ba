using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// /os-aggregates (admin only), read-only: in Nova an availability zone other than the default is a host
/// aggregate whose metadata names it; here each host's zone comes from its configuration
/// (<c>cloud-actors.compute.availability-zone</c>), so the aggregates are those zones, with their hosts. Hosts in
/// the default zone "nova" belong to no aggregate, as in Nova. There is nothing to create, change or delete.
/// </summary>
public sealed class AggregatesEndpoints(NovaService nova)
{
    private const string DefaultZone = "nova";

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/os-aggregates", JsonBody.Handle(List));
        api.MapGet("/os-aggregates/{id}", Show);
    }

    private async Task<IResult> List(HttpContext http)
    {
        ComputePolicy.RequireAdmin(http, "os-aggregates:index");
        return JsonBody.Write(new JsonObject { ["aggregates"] = new JsonArray((await Aggregates(http)).ToArray<JsonNode>()) });
    }

    private async Task<IResult> Show(HttpContext http, string id)
    {
        ComputePolicy.RequireAdmin(http, "os-aggregates:show");
        var found = (await Aggregates(http)).FirstOrDefault(a => a["id"]!.ToString() == id || a["uuid"]?.ToString() == id);
        return found is null
            ? throw new NovaException(404, $"Aggregate {id} could not be found.")
            : JsonBody.Write(new JsonObject { ["aggregate"] = found });
    }

    /// <summary>One per zone other than "nova", numbered by zone name from 1.</summary>
    private async Task<List<JsonObject>> Aggregates(HttpContext http)
    {
        var zones = (await nova.Hypervisors())
            .Where(h => h.Capabilities.AvailabilityZone != DefaultZone)
            .GroupBy(h => h.Capabilities.AvailabilityZone)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var version = http.Microversion();
        return zones.Select((zone, index) =>
        {
            var view = new JsonObject
            {
                ["id"] = index + 1,
                ["name"] = zone.Key,
                ["availability_zone"] = zone.Key,
                ["hosts"] = new JsonArray(zone.Select(h => (JsonNode)h.Capabilities.Host).ToArray()),
                ["metadata"] = new JsonObject { ["availability_zone"] = zone.Key },
                ["created_at"] = null,
                ["updated_at"] = null,
                ["deleted_at"] = null,
                ["deleted"] = false,
            };
            if (version.AtLeast(41))
                view["uuid"] = new Guid(MD5.HashData(Encoding.UTF8.GetBytes("aggregate@" + zone.Key))).ToString();
            return view;
        }).ToList();
    }

}
