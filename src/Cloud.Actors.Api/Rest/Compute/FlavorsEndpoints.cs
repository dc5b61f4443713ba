using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>/flavors: list, detail, show by id (a name is a 404, as in Nova: the clients then list).</summary>
public sealed class FlavorsEndpoints(NovaService nova)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/flavors", JsonBody.Handle((HttpContext http) => List(http, detail: false)));
        api.MapGet("/flavors/detail", JsonBody.Handle((HttpContext http) => List(http, detail: true)));
        api.MapGet("/flavors/{id}", Show);
        // `openstack flavor list` asks each flavor for its extra specs (its Properties column); ours have none.
        api.MapGet("/flavors/{id}/os-extra_specs", ExtraSpecs);
    }

    private async Task<IResult> ExtraSpecs(HttpContext http, string id)
    {
        _ = (await nova.Catalog()).Flavors.FirstOrDefault(f => f.Id == id)
            ?? throw new NovaException(404, $"Flavor {id} could not be found.");
        return JsonBody.Write(new JsonObject { ["extra_specs"] = new JsonObject() });
    }

    private async Task<IResult> List(HttpContext http, bool detail)
    {
        var query = http.Request.Query;
        IEnumerable<Flavor> flavors = (await nova.Catalog()).Flavors;
        // Nova's minDisk and minRam: the flavors with at least that much root disk (GB) and memory (MB).
        if (Minimum(query["minDisk"].FirstOrDefault(), "minDisk") is { } minDisk) flavors = flavors.Where(f => f.RootGb >= minDisk);
        if (Minimum(query["minRam"].FirstOrDefault(), "minRam") is { } minRam) flavors = flavors.Where(f => f.MemoryMb >= minRam);
        var page = Paging<Flavor>.Of(flavors.ToList(), http, f => f.Id, $"/v2.1/flavors{(detail ? "/detail" : "")}");
        var body = new JsonObject
        {
            ["flavors"] = new JsonArray(page.Items.Select(f => (JsonNode)(detail ? Detail(http, f) : Basic(http, f))).ToArray()),
        };
        page.AddLinks(body, "flavors_links");
        return JsonBody.Write(body);
    }

    private static int? Minimum(string? text, string parameter)
    {
        if (text is null) return null;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new NovaException(400, $"Invalid input for query parameters {parameter}. Value: {text}. '{text}' does not match '^[0-9]+$'");
    }

    private async Task<IResult> Show(HttpContext http, string id)
    {
        var flavor = (await nova.Catalog()).Flavors.FirstOrDefault(f => f.Id == id)
                     ?? throw new NovaException(404, $"Flavor {id} could not be found.");
        return JsonBody.Write(new JsonObject { ["flavor"] = Detail(http, flavor) });
    }

    private static JsonObject Basic(HttpContext http, Flavor f)
    {
        var view = new JsonObject { ["id"] = f.Id, ["name"] = f.Name, ["links"] = Links(http, f) };
        if (http.Microversion().AtLeast(55)) view["description"] = null;
        return view;
    }

    private static JsonObject Detail(HttpContext http, Flavor f)
    {
        var version = http.Microversion();
        var view = new JsonObject
        {
            ["id"] = f.Id,
            ["name"] = f.Name,
            ["ram"] = f.MemoryMb,
            ["disk"] = f.RootGb,
            ["vcpus"] = f.Vcpus,
            ["OS-FLV-EXT-DATA:ephemeral"] = f.EphemeralGb,
            ["OS-FLV-DISABLED:disabled"] = false,
            // Before 2.75 Nova shows no swap as "" rather than 0.
            ["swap"] = f.SwapMb == 0 && !version.AtLeast(75) ? "" : f.SwapMb,
            ["rxtx_factor"] = 1.0,
            ["os-flavor-access:is_public"] = true,
            ["links"] = Links(http, f),
        };
        if (version.AtLeast(55)) view["description"] = null;
        if (version.AtLeast(61)) view["extra_specs"] = new JsonObject();
        return view;
    }

    private static JsonArray Links(HttpContext http, Flavor f)
    {
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        return
        [
            new JsonObject { ["rel"] = "self", ["href"] = $"{baseUrl}/v2.1/flavors/{f.Id}" },
            new JsonObject { ["rel"] = "bookmark", ["href"] = $"{baseUrl}/flavors/{f.Id}" },
        ];
    }
}
