using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest;

/// <summary>Reading and writing the JSON bodies every OpenStack service speaks.</summary>
public static class JsonBody
{
    /// <summary>The request body as a JSON object; a <see cref="MalformedBodyException"/> when it is not one.</summary>
    public static async Task<JsonObject> ReadObject(HttpContext http)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw new MalformedBodyException(ex.Message);
        }
        return node as JsonObject ?? throw new MalformedBodyException("the body is not a JSON object");
    }

    /// <summary>
    /// Types a handler that takes only the HttpContext as a route handler: left alone, the compiler binds it as a
    /// RequestDelegate and the IResult it returns is silently dropped.
    /// </summary>
    public static Delegate Handle(Func<HttpContext, Task<IResult>> handler) => handler;

    public static IResult Write(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8, status);
}

/// <summary>The body is not JSON at all (each service answers this with its own 400 body).</summary>
public sealed class MalformedBodyException(string reason) : Exception(reason);
