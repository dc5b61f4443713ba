using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Api.Rest.Identity;
using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest;

/// <summary>
/// keystonemiddleware's auth_token for our services: every call but version discovery carries a live X-Auth-Token,
/// else 401 with keystone's body and the WWW-Authenticate header that sends the clients to identity.
/// </summary>
public static class TokenAuthentication
{
    private const string TokenKey = "cloud-actors.token";

    public static EndpointFilterDelegate Filter(TokenStore tokens, ServiceUrls urls, EndpointFilterDelegate next) => async invocation =>
    {
        var http = invocation.HttpContext;
        var token = tokens.Validate(http.Request.Headers["X-Auth-Token"].FirstOrDefault());
        if (token is null)
        {
            http.Response.Headers.WWWAuthenticate = $"Keystone uri=\"{urls.Identity}\"";
            return Unauthorized();
        }
        http.Items[TokenKey] = token;
        return await next(invocation);
    };

    public static Token Token(this HttpContext http) =>
        http.Items[TokenKey] as Token ?? throw new InvalidOperationException("endpoint reached without token authentication");

    public static RequestContext Caller(this HttpContext http) => http.Token().Context;

    public static IResult Unauthorized() => JsonBody.Write(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = 401,
            ["title"] = "Unauthorized",
            ["message"] = "The request you have made requires authentication.",
        },
    }, StatusCodes.Status401Unauthorized);
}
