using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest;

/// <summary>
/// Reading and writing the JSON bodies every OpenStack service speaks. What is read is JSON by its content type (or
/// has none, which the services take for JSON), has each key once per object and holds valid UTF-16 text only: a
/// duplicate key or a lone surrogate would otherwise reach the handlers as a value nobody can read (a 500), or as a
/// silent choice between two values.
/// </summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>The request body as a JSON object; a <see cref="MalformedBodyException"/> when it is not one.</summary>
    public static async Task<JsonObject> ReadObject(HttpContext http) =>
        await Read(http, JsonTypes) as JsonObject ?? throw new MalformedBodyException("the body is not a JSON object");

    /// <summary>What the services read as JSON: application/json and the vendor types Nova lists (…+json).</summary>
    private static readonly string[] JsonTypes = ["application/json", "application/vnd.openstack.compute+json"];

    /// <summary>
    /// The request body as JSON, when its content type is <paramref name="mediaTypes"/> (application/json when none
    /// given) or absent; <see cref="UnsupportedContentTypeException"/> for another, <see cref="MalformedBodyException"/>
    /// for a body that is not strict JSON, <see cref="InvalidTextException"/> for text that is not valid UTF-16.
    /// </summary>
    public static async Task<JsonNode?> Read(HttpContext http, params string[] mediaTypes)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (!string.IsNullOrEmpty(mediaType) && !mediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            throw new UnsupportedContentTypeException(mediaType, mediaTypes);
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(http.Request.Body, documentOptions: Strict, cancellationToken: http.RequestAborted);
            CheckText(node, "");
        }
        catch (JsonException ex)
        {
            throw new MalformedBodyException(ex.Message);
        }
        return node;
    }

    /// <summary>
    /// Types a handler that takes only the HttpContext as a route handler: left alone, the compiler binds it as a
    /// RequestDelegate and the IResult it returns is silently dropped.
    /// </summary>
    public static Delegate Handle(Func<HttpContext, Task<IResult>> handler) => handler;

    public static IResult Write(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8, status);

    /// <summary>Every string and key below <paramref name="node"/> reads as UTF-16 (a JSON escape can hold half a surrogate pair).</summary>
    private static void CheckText(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                List<KeyValuePair<string, JsonNode?>> members;
                try
                {
                    members = obj.ToList();
                }
                catch (InvalidOperationException)
                {
                    throw new InvalidTextException(path == "" ? "(a key)" : path + "/(a key)");
                }
                foreach (var (key, value) in members) CheckText(value, path == "" ? key : $"{path}/{key}");
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) CheckText(array[i], path);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    value.GetValue<string>();
                }
                catch (InvalidOperationException)
                {
                    throw new InvalidTextException(path);
                }
                break;
        }
    }
}

/// <summary>The body is not JSON at all (each service answers this with its own 400 body).</summary>
public sealed class MalformedBodyException(string reason) : Exception(reason);

/// <summary>A request body of a media type the endpoint does not read: 415, as Nova's InvalidContentType.</summary>
public sealed class UnsupportedContentTypeException(string mediaType, IReadOnlyList<string> accepted)
    : Exception($"Unsupported Content-Type '{mediaType}': this request takes {string.Join(" or ", accepted)}");

/// <summary>
/// A string of the body (at <paramref name="path"/>, slash-separated) holds half a surrogate pair: a 400 naming the
/// field, as Nova names it (the last step of the path) and where it is.
/// </summary>
public sealed class InvalidTextException(string path)
    : Exception($"Invalid input for field/attribute {path.Split('/')[^1]}. Value: (not shown). It is not valid UTF-16 text (an unpaired surrogate, at {path})");
