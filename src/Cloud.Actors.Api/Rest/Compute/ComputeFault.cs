using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>Nova's error bodies: <c>{"itemNotFound": {"code": 404, "message": ...}}</c>, named as wsgi.Fault names them.</summary>
public static class ComputeFault
{
    public static string Name(int code) => code switch
    {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 => "overLimit",
        415 => "badMediaType",
        429 => "overLimit",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "computeFault",
    };

    public static JsonObject Body(int code, string message) => new()
    {
        [Name(code)] = new JsonObject { ["code"] = code, ["message"] = message },
    };

    public static IResult Result(int code, string message) => JsonBody.Write(Body(code, message), code);
}
