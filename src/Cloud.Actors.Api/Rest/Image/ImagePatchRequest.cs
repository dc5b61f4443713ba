using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>
/// The body of Glance's image update: a JSON array of <c>{"op", "path", "value"}</c> objects sent as
/// <c>application/openstack-images-v2.1-json-patch</c> (415 for any other media type). A path is a JSON pointer
/// to one attribute of the image (<c>~1</c> is '/', <c>~0</c> is '~').
/// </summary>
public static class ImagePatchRequest
{
    /// <summary>Glance's v2.1 patch only: v2.0 gives add on an existing attribute other (409) semantics.</summary>
    public static readonly IReadOnlyList<string> MediaTypes = ["application/openstack-images-v2.1-json-patch"];

    public static async Task<IReadOnlyList<ImagePatchOperation>> Read(HttpContext http)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            throw new NovaException(415, $"Unsupported Content-Type: '{mediaType}'; an image update is a JSON patch ({MediaTypes[0]})");
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw new MalformedBodyException(ex.Message);
        }
        if (body is not JsonArray changes) throw new NovaException(400, "Request body must be a JSON array of operation objects.");
        return changes.Select(Operation).ToList();
    }

    private static ImagePatchOperation Operation(JsonNode? change)
    {
        if (change is not JsonObject operation) throw new NovaException(400, "Operations must be JSON objects.");
        var op = Member(operation, "op");
        var path = Member(operation, "path");
        if (op is "add" or "replace" && !operation.ContainsKey("value"))
            throw new NovaException(400, $"Operation \"{op}\" requires a member named \"value\".");
        return new ImagePatchOperation(op, Attribute(path), operation["value"]?.DeepClone());
    }

    private static string Member(JsonObject operation, string name) =>
        operation[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new NovaException(400, $"Operation objects must contain a string member named \"{name}\".");

    /// <summary>"/name" is name; a pointer deeper than one attribute is refused, as Glance does.</summary>
    private static string Attribute(string path)
    {
        var segments = path.Split('/');
        if (segments.Length != 2 || segments[0].Length != 0 || segments[1].Length == 0)
            throw new NovaException(400, $"Invalid JSON pointer for this resource: '{path}'");
        return segments[1].Replace("~1", "/").Replace("~0", "~");
    }
}
