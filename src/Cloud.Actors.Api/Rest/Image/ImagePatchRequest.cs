using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>
/// The body of Glance's image update: a JSON array of changes, each to one attribute of the image, named by a path
/// that is a JSON pointer (<c>~1</c> is '/', <c>~0</c> is '~'). Two media types, as Glance reads them:
/// <c>application/openstack-images-v2.1-json-patch</c>, whose changes are <c>{"op", "path", "value"}</c>, and
/// <c>application/openstack-images-v2.0-json-patch</c> (what Tempest's client sends), whose changes name the path
/// under the operation's own key (<c>{"replace": "/name", "value": "x"}</c>) and whose "add" of something present
/// is a conflict. Any other media type is 415.
/// </summary>
public static class ImagePatchRequest
{
    private const string V21 = "application/openstack-images-v2.1-json-patch";
    private const string V20 = "application/openstack-images-v2.0-json-patch";
    private static readonly string[] Operations = ["add", "remove", "replace"];

    public static readonly IReadOnlyList<string> MediaTypes = [V21, V20];

    public static async Task<IReadOnlyList<ImagePatchOperation>> Read(HttpContext http)
    {
        // An update is a patch: no content type at all is not one either.
        if (string.IsNullOrEmpty(http.Request.ContentType)) throw new UnsupportedContentTypeException("", MediaTypes);
        var body = await JsonBody.Read(http, V21, V20);
        var draft4 = http.Request.ContentType!.Split(';')[0].Trim().Equals(V20, StringComparison.OrdinalIgnoreCase);
        if (body is not JsonArray changes) throw new NovaException(400, "Request body must be a JSON array of operation objects.");
        return changes.Select(change => draft4 ? Draft4Operation(change) : Operation(change)).ToList();
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

    /// <summary>A v2.0 change: exactly one of add, remove or replace, holding the path.</summary>
    private static ImagePatchOperation Draft4Operation(JsonNode? change)
    {
        if (change is not JsonObject operation) throw new NovaException(400, "Operations must be JSON objects.");
        var ops = Operations.Where(operation.ContainsKey).ToList();
        if (ops.Count != 1)
            throw new NovaException(400, "Operation objects must contain exactly one member named \"add\", \"remove\", or \"replace\".");
        var op = ops[0];
        var path = Member(operation, op);
        if (op is "add" or "replace" && !operation.ContainsKey("value"))
            throw new NovaException(400, $"Operation \"{op}\" requires a member named \"value\".");
        return new ImagePatchOperation(op, Attribute(path), operation["value"]?.DeepClone(), AddMustBeNew: true);
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
