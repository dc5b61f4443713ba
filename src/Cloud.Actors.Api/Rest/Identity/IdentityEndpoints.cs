using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>Identity v3 as keystone serves it to keystoneauth: discovery, issuing, validating and revoking tokens.</summary>
public sealed class IdentityEndpoints(TokenStore tokens, ServiceUrls urls)
{
    private IdentityOptions Options => tokens.Options;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => JsonBody.Write(new JsonObject
        {
            ["versions"] = new JsonObject { ["values"] = new JsonArray(VersionDocument()) },
        }, StatusCodes.Status300MultipleChoices));
        app.MapGet("/v3", () => JsonBody.Write(new JsonObject { ["version"] = VersionDocument() }));
        app.MapPost("/v3/auth/tokens", JsonBody.Handle(Authenticate));
        app.MapGet("/v3/auth/tokens", (HttpContext http) => Validate(http, withBody: true));
        app.MapMethods("/v3/auth/tokens", ["HEAD"], (HttpContext http) => Validate(http, withBody: false));
        app.MapDelete("/v3/auth/tokens", Revoke);
        app.MapGet("/v3/auth/catalog", (HttpContext http) => tokens.Validate(http.Request.Headers["X-Auth-Token"]) is null
            ? TokenAuthentication.Unauthorized()
            : JsonBody.Write(new JsonObject { ["catalog"] = ServiceCatalog.Build(urls, Options.Region) }));
        app.MapGet("/v3/auth/projects", (HttpContext http) => tokens.Validate(http.Request.Headers["X-Auth-Token"]) is { } token
            ? JsonBody.Write(new JsonObject
            {
                ["projects"] = new JsonArray(Options.Projects.Where(p => token.User.ProjectRoles.ContainsKey(p.Name))
                    .Select(p => (JsonNode)ProjectView(p)).ToArray()),
            })
            : TokenAuthentication.Unauthorized());
    }

    private JsonObject VersionDocument() => new()
    {
        ["id"] = "v3.14",
        ["status"] = "stable",
        ["updated"] = "2020-04-07T00:00:00Z",
        ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = $"{urls.Identity}/v3/" }),
        ["media-types"] = new JsonArray(new JsonObject
        {
            ["base"] = "application/json",
            ["type"] = "application/vnd.openstack.identity-v3+json",
        }),
    };

    private async Task<IResult> Authenticate(HttpContext http)
    {
        JsonObject body;
        try { body = await JsonBody.ReadObject(http); }
        catch (MalformedBodyException) { return Error(400, "Bad Request", "Malformed request body"); }

        if (body["auth"] is not JsonObject auth) return Invalid("auth", "'auth' is a required property");
        if (auth["identity"] is not JsonObject identity) return Invalid("identity", "'identity' is a required property");
        if (identity["methods"] is not JsonArray methodsNode || methodsNode.Count == 0)
            return Invalid("identity", "'methods' is a required property");
        var methods = methodsNode.Select(m => m?.GetValueKind() == System.Text.Json.JsonValueKind.String ? m.GetValue<string>() : null).ToList();
        if (methods.Any(m => m is null)) return Invalid("methods", "each method must be a string");

        IdentityUser? user;
        DateTimeOffset? notAfter = null;
        IdentityProject? defaultScope = null;
        if (methods.Contains("password"))
        {
            if (identity["password"]?["user"] is not JsonObject userNode) return Invalid("password", "'user' is a required property");
            var password = String(userNode, "password");
            var userId = String(userNode, "id");
            var userName = String(userNode, "name");
            if (password is null || userId is null && userName is null) return Unauthorized();
            if (userId is null && !InDomain(userNode["domain"] as JsonObject)) return Unauthorized();
            user = tokens.CheckPassword(userId, userName, password);
        }
        else if (methods.Contains("token"))
        {
            var original = tokens.Validate(String(identity["token"] as JsonObject, "id"));
            user = original?.User;
            notAfter = original?.ExpiresAt;
            defaultScope = original?.Project;
        }
        else return Unauthorized();
        if (user is null) return Unauthorized();

        IdentityProject? project;
        var scope = auth["scope"] as JsonObject;
        if (scope is null)
            project = defaultScope ?? tokens.FindProject(null, user.DefaultProject);
        else if (scope["project"] is JsonObject projectNode)
        {
            var projectId = String(projectNode, "id");
            if (projectId is null && !InDomain(projectNode["domain"] as JsonObject)) return Unauthorized();
            project = tokens.FindProject(projectId, String(projectNode, "name"));
        }
        else return Unauthorized(); // domain and system scopes: nothing here is owned by them
        if (project is null) return Unauthorized();

        var token = tokens.Issue(user, project, methods!, notAfter);
        if (token is null) return Unauthorized();
        http.Response.Headers["X-Subject-Token"] = token.Id;
        return JsonBody.Write(TokenView(token), StatusCodes.Status201Created);
    }

    private IResult Validate(HttpContext http, bool withBody)
    {
        var caller = tokens.Validate(http.Request.Headers["X-Auth-Token"]);
        if (caller is null) return TokenAuthentication.Unauthorized();
        var subject = tokens.Validate(http.Request.Headers["X-Subject-Token"]);
        if (subject is null) return Error(404, "Not Found", "Could not find token.");
        // keystone's identity:validate_token: an admin, or the token's own user.
        if (!caller.IsAdmin && caller.User.Id != subject.User.Id)
            return Error(403, "Forbidden", "You are not authorized to perform the requested action: identity:validate_token.");
        http.Response.Headers["X-Subject-Token"] = subject.Id;
        return withBody ? JsonBody.Write(TokenView(subject)) : Results.Ok();
    }

    private IResult Revoke(HttpContext http)
    {
        var caller = tokens.Validate(http.Request.Headers["X-Auth-Token"]);
        if (caller is null) return TokenAuthentication.Unauthorized();
        var subject = tokens.Validate(http.Request.Headers["X-Subject-Token"]);
        if (subject is null) return Error(404, "Not Found", "Could not find token.");
        if (!caller.IsAdmin && caller.User.Id != subject.User.Id)
            return Error(403, "Forbidden", "You are not authorized to perform the requested action: identity:revoke_token.");
        tokens.Revoke(subject.Id);
        return Results.NoContent();
    }

    private JsonObject TokenView(Token token) => new()
    {
        ["token"] = new JsonObject
        {
            ["methods"] = new JsonArray(token.Methods.Select(m => (JsonNode)m).ToArray()),
            ["user"] = new JsonObject
            {
                ["domain"] = Domain(),
                ["id"] = token.User.Id,
                ["name"] = token.User.Name,
                ["password_expires_at"] = null,
            },
            ["audit_ids"] = new JsonArray(token.AuditId),
            ["expires_at"] = Time(token.ExpiresAt),
            ["issued_at"] = Time(token.IssuedAt),
            ["project"] = ProjectView(token.Project),
            ["is_domain"] = false,
            ["roles"] = new JsonArray(token.Roles.Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["name"] = r.Name }).ToArray()),
            ["catalog"] = ServiceCatalog.Build(urls, Options.Region),
        },
    };

    private JsonObject ProjectView(IdentityProject project) => new()
    {
        ["domain"] = Domain(),
        ["id"] = project.Id,
        ["name"] = project.Name,
    };

    private JsonObject Domain() => new() { ["id"] = Options.DomainId, ["name"] = Options.DomainName };

    /// <summary>A name is looked up in a domain given by id or name; ours is the only one.</summary>
    private bool InDomain(JsonObject? domain) =>
        domain is not null && (String(domain, "id") is { } id ? id == Options.DomainId : String(domain, "name") == Options.DomainName);

    private static string? String(JsonObject? node, string field) =>
        node?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Time(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static IResult Unauthorized() => TokenAuthentication.Unauthorized();

    private static IResult Invalid(string field, string reason) =>
        Error(400, "Bad Request", $"Invalid input for field '{field}': {reason}");

    public static IResult Error(int code, string title, string message) => JsonBody.Write(new JsonObject
    {
        ["error"] = new JsonObject { ["code"] = code, ["title"] = title, ["message"] = message },
    }, code);
}
