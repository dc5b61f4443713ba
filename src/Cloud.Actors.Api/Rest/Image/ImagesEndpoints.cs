using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>
/// Image v2 (glance/api/v2/images.py): version discovery, list (with glance's name/status/visibility filters),
/// show, create, update (JSON patch) and delete, over <see cref="ImageService"/>. The bytes are <see cref="ImageDataEndpoints"/>'.
/// </summary>
public sealed class ImagesEndpoints(ImageService images, ServiceUrls urls)
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
        api.MapPost("/v2/images", JsonBody.Handle(Create));
        api.MapGet("/v2/images/{id}", Show);
        api.MapPatch("/v2/images/{id}", Update);
        api.MapDelete("/v2/images/{id}", Delete);
    }

    private JsonObject Version(string id, string status) => new()
    {
        ["id"] = id,
        ["status"] = status,
        ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = $"{urls.Image}/v2/" }),
    };

    private async Task<IResult> List(HttpContext http)
    {
        var query = http.Request.Query;
        IEnumerable<Domain.Catalog.Image> found = await images.List(http.Caller(), query["visibility"].FirstOrDefault());
        if (query["name"].FirstOrDefault() is { } name) found = found.Where(i => i.Name == name);
        if (query["status"].FirstOrDefault() is { } status) found = found.Where(i => i.Status == status);
        return JsonBody.Write(new JsonObject
        {
            ["images"] = new JsonArray(found.Select(i => (JsonNode)ImageView.Of(i)).ToArray()),
            ["first"] = "/v2/images",
            ["schema"] = "/v2/schemas/images",
        });
    }

    private async Task<IResult> Show(string id, HttpContext http) => JsonBody.Write(ImageView.Of(await images.Show(id, http.Caller())));

    private async Task<IResult> Create(HttpContext http)
    {
        var creation = ImageRequest.Parse(await JsonBody.ReadObject(http));
        var image = await images.Create(creation, http.Caller());
        http.Response.Headers.Location = $"{urls.Image}/v2/images/{image.Id}";
        return JsonBody.Write(ImageView.Of(image), StatusCodes.Status201Created);
    }

    private async Task<IResult> Update(string id, HttpContext http)
    {
        var operations = await ImagePatchRequest.Read(http);
        return JsonBody.Write(ImageView.Of(await images.Update(id, operations, http.Caller())));
    }

    private async Task<IResult> Delete(string id, HttpContext http)
    {
        await images.Delete(id, http.Caller());
        return Results.NoContent();
    }
}
