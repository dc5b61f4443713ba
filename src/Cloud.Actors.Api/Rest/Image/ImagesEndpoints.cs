using System.Globalization;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>
/// Image v2 (glance), read side: version discovery, list (with glance's name/status/visibility filters) and show,
/// from the controller's catalog. Upload and download wait for the controller's image store.
/// </summary>
public sealed class ImagesEndpoints(Func<NovaService> nova, ServiceUrls urls)
{
    public void MapVersions(IEndpointRouteBuilder app)
    {
        // keystoneauth reads this 300 to pick the newest v2.x the service speaks.
        app.MapGet("/", () => JsonBody.Write(new JsonObject
        {
            ["versions"] = new JsonArray(
                Version("v2.9", "CURRENT"), Version("v2.8", "SUPPORTED"), Version("v2.7", "SUPPORTED"), Version("v2.6", "SUPPORTED"),
                Version("v2.5", "SUPPORTED"), Version("v2.4", "SUPPORTED"), Version("v2.3", "SUPPORTED"), Version("v2.2", "SUPPORTED"),
                Version("v2.1", "SUPPORTED"), Version("v2.0", "SUPPORTED")),
        }, StatusCodes.Status300MultipleChoices));
    }

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v2/images", JsonBody.Handle(List));
        api.MapGet("/v2/images/{id}", Show);
    }

    private JsonObject Version(string id, string status) => new()
    {
        ["id"] = id,
        ["status"] = status,
        ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = $"{urls.Image}/v2/" }),
    };

    private async Task<IResult> List(HttpContext http)
    {
        IEnumerable<Domain.Catalog.Image> images = (await nova().Catalog()).Images;
        var query = http.Request.Query;
        if (query["name"].FirstOrDefault() is { } name) images = images.Where(i => i.Name == name);
        if (query["status"].FirstOrDefault() is { } status) images = images.Where(i => i.Status == status);
        if (query["visibility"].FirstOrDefault() is { } visibility && visibility is not ("public" or "all"))
            images = [];
        return JsonBody.Write(new JsonObject
        {
            ["images"] = new JsonArray(images.Select(i => (JsonNode)View(i)).ToArray()),
            ["first"] = "/v2/images",
            ["schema"] = "/v2/schemas/images",
        });
    }

    private async Task<IResult> Show(string id)
    {
        var image = (await nova().Catalog()).Images.FirstOrDefault(i => i.Id == id);
        // Glance answers a missing image in plain text; the clients only look at the status.
        return image is null
            ? Results.Text($"404 Not Found\n\nNo image found with ID {id}\n\n", "text/plain", statusCode: StatusCodes.Status404NotFound)
            : JsonBody.Write(View(image));
    }

    /// <summary>Glance's image schema: its fixed fields, then the image's own properties at the top level.</summary>
    public static JsonObject View(Domain.Catalog.Image i)
    {
        var created = i.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var view = new JsonObject
        {
            ["id"] = i.Id,
            ["name"] = i.Name,
            ["status"] = i.Status,
            ["visibility"] = "public",
            ["protected"] = false,
            ["os_hidden"] = false,
            ["checksum"] = null,
            ["os_hash_algo"] = null,
            ["os_hash_value"] = null,
            ["owner"] = null,
            ["min_disk"] = i.MinDiskGb,
            ["min_ram"] = i.MinRamMb,
            ["disk_format"] = i.DiskFormat,
            ["container_format"] = i.ContainerFormat,
            ["size"] = i.SizeBytes,
            ["virtual_size"] = null,
            ["tags"] = new JsonArray(),
            ["created_at"] = created,
            ["updated_at"] = created,
            ["self"] = $"/v2/images/{i.Id}",
            ["file"] = $"/v2/images/{i.Id}/file",
            ["schema"] = "/v2/schemas/image",
        };
        foreach (var (key, value) in i.Properties)
            if (!view.ContainsKey(key)) view[key] = value;
        return view;
    }
}
