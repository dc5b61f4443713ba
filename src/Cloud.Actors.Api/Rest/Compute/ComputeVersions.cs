using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>Compute version discovery (no token needed): GET / lists v2.1, GET /v2.1 describes it with its microversion range.</summary>
public static class ComputeVersions
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => JsonBody.Write(new JsonObject
        {
            ["versions"] = new JsonArray(Version(http)),
        }));
        app.MapGet("/v2.1", (HttpContext http) => JsonBody.Write(new JsonObject { ["version"] = Detail(http) }));
    }

    private static JsonObject Version(HttpContext http) => new()
    {
        ["id"] = "v2.1",
        ["status"] = "CURRENT",
        ["version"] = ApiVersion.Max.ToString(),
        ["min_version"] = ApiVersion.Min.ToString(),
        ["updated"] = "2013-07-23T11:33:21Z",
        ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = $"{http.Request.Scheme}://{http.Request.Host}/v2.1/" }),
    };

    private static JsonObject Detail(HttpContext http)
    {
        var version = Version(http);
        ((JsonArray)version["links"]!).Add(new JsonObject
        {
            ["rel"] = "describedby",
            ["type"] = "text/html",
            ["href"] = "http://docs.openstack.org/",
        });
        version["media-types"] = new JsonArray(new JsonObject
        {
            ["base"] = "application/json",
            ["type"] = "application/vnd.openstack.compute+json;version=2.1",
        });
        return version;
    }
}
