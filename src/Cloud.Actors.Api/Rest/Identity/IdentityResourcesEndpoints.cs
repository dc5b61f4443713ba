using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>
/// Read-only views of the HOCON identity data, as keystone's default policy shows them: domains, projects, users and
/// roles to admins; a user its own record and its own projects. Changing them is editing HOCON.
/// </summary>
public sealed class IdentityResourcesEndpoints(TokenStore tokens, ServiceUrls urls)
{
    private IdentityOptions Options => tokens.Options;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v3/domains", (HttpContext http) => AdminOnly(http, "list_domains", _ => List("domains", [Domain()])));
        // keystone's get_domain: an admin, or a user of that domain (every user here is in the one domain).
        app.MapGet("/v3/domains/{id}", (HttpContext http, string id) => Caller(http, _ =>
            id == Options.DomainId ? JsonBody.Write(new JsonObject { ["domain"] = Domain() }) : NotFound("domain", id)));
        app.MapGet("/v3/projects", (HttpContext http) => AdminOnly(http, "list_projects", _ => List("projects", Options.Projects.Select(Project))));
        app.MapGet("/v3/projects/{id}", (HttpContext http, string id) => Caller(http, caller =>
        {
            var project = Options.Projects.FirstOrDefault(p => p.Id == id);
            if (project is null || !caller.IsAdmin && caller.Project.Id != id)
                return caller.IsAdmin ? NotFound("project", id) : Forbidden("get_project");
            return JsonBody.Write(new JsonObject { ["project"] = Project(project) });
        }));
        app.MapGet("/v3/users", (HttpContext http) => AdminOnly(http, "list_users", _ => List("users", Options.Users.Select(User))));
        app.MapGet("/v3/users/{id}", (HttpContext http, string id) => Caller(http, caller =>
        {
            if (!caller.IsAdmin && caller.User.Id != id) return Forbidden("get_user");
            var user = Options.Users.FirstOrDefault(u => u.Id == id);
            return user is null ? NotFound("user", id) : JsonBody.Write(new JsonObject { ["user"] = User(user) });
        }));
        app.MapGet("/v3/users/{id}/projects", (HttpContext http, string id) => Caller(http, caller =>
        {
            if (!caller.IsAdmin && caller.User.Id != id) return Forbidden("list_user_projects");
            var user = Options.Users.FirstOrDefault(u => u.Id == id);
            return user is null
                ? NotFound("user", id)
                : List("projects", Options.Projects.Where(p => user.ProjectRoles.ContainsKey(p.Name)).Select(Project));
        }));
        app.MapGet("/v3/roles", (HttpContext http) => AdminOnly(http, "list_roles", _ => List("roles", Options.Roles.Select(Role))));
    }

    private IResult Caller(HttpContext http, Func<Token, IResult> then) =>
        tokens.Validate(http.Request.Headers["X-Auth-Token"]) is { } token ? then(token) : TokenAuthentication.Unauthorized();

    private IResult AdminOnly(HttpContext http, string rule, Func<Token, IResult> then) =>
        Caller(http, token => token.IsAdmin ? then(token) : Forbidden(rule));

    private IResult List(string collection, IEnumerable<JsonObject> items) => JsonBody.Write(new JsonObject
    {
        [collection] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
        ["links"] = new JsonObject { ["self"] = $"{urls.Identity}/v3/{collection}", ["previous"] = null, ["next"] = null },
    });

    private JsonObject Domain() => new()
    {
        ["id"] = Options.DomainId,
        ["name"] = Options.DomainName,
        ["description"] = "",
        ["enabled"] = true,
        ["tags"] = new JsonArray(),
        ["options"] = new JsonObject(),
        ["links"] = Self("domains", Options.DomainId),
    };

    private JsonObject Project(IdentityProject p) => new()
    {
        ["id"] = p.Id,
        ["name"] = p.Name,
        ["domain_id"] = Options.DomainId,
        ["parent_id"] = Options.DomainId,
        ["description"] = "",
        ["enabled"] = true,
        ["is_domain"] = false,
        ["tags"] = new JsonArray(),
        ["options"] = new JsonObject(),
        ["links"] = Self("projects", p.Id),
    };

    private JsonObject User(IdentityUser u)
    {
        var user = new JsonObject
        {
            ["id"] = u.Id,
            ["name"] = u.Name,
            ["domain_id"] = Options.DomainId,
            ["enabled"] = true,
            ["password_expires_at"] = null,
            ["options"] = new JsonObject(),
            ["links"] = Self("users", u.Id),
        };
        if (u.DefaultProject is { } name && Options.Projects.FirstOrDefault(p => p.Name == name) is { } project)
            user["default_project_id"] = project.Id;
        return user;
    }

    private JsonObject Role(IdentityRole r) => new()
    {
        ["id"] = r.Id,
        ["name"] = r.Name,
        ["domain_id"] = null,
        ["description"] = null,
        ["options"] = new JsonObject(),
        ["links"] = Self("roles", r.Id),
    };

    private JsonObject Self(string collection, string id) => new() { ["self"] = $"{urls.Identity}/v3/{collection}/{id}" };

    private static IResult Forbidden(string rule) =>
        IdentityEndpoints.Error(403, "Forbidden", $"You are not authorized to perform the requested action: identity:{rule}.");

    private static IResult NotFound(string kind, string id) =>
        IdentityEndpoints.Error(404, "Not Found", $"Could not find {kind}: {id}.");
}
