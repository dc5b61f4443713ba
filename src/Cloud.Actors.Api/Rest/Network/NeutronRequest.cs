using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;

namespace Cloud.Actors.Api.Rest.Network;

/// <summary>
/// Typed reads of a Neutron request body with Neutron's messages: an attribute it does not know is refused ("Unrecognized
/// attribute(s) 'x'"), never dropped; a wrong type is a 400 naming it ("Invalid input for name. Reason: ...").
/// </summary>
public static class NeutronRequest
{
    /// <summary>The resource object of a create (<c>{"network": {...}}</c>), with only <paramref name="known"/> attributes.</summary>
    public static JsonObject Resource(JsonObject body, string resource, params string[] known)
    {
        if (body.Count != 1 || body[resource] is not JsonObject item)
            throw BadRequest($"Resource body required: a JSON object with one attribute '{resource}'.");
        var unknown = item.Select(p => p.Key).Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0) throw BadRequest($"Unrecognized attribute(s) '{string.Join(", ", unknown)}'");
        return item;
    }

    public static string? String(JsonObject item, string field, bool required = false, bool nullable = false)
    {
        if (!item.TryGetPropertyValue(field, out var node))
            return required ? throw BadRequest($"Failed to parse request. Required attribute '{field}' not specified") : null;
        if (node is null && nullable) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            if (text.Length > 255) throw Invalid(field, $"'{text[..20]}...' exceeds maximum length of 255");
            return text;
        }
        throw Invalid(field, $"'{node?.ToJsonString() ?? "None"}' is not a valid string");
    }

    public static bool? Boolean(JsonObject item, string field)
    {
        if (!item.TryGetPropertyValue(field, out var node)) return null;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && bool.TryParse(s.GetValue<string>(), out var parsed)) return parsed;
        throw Invalid(field, $"'{node?.ToJsonString() ?? "None"}' cannot be converted to boolean");
    }

    public static int? Integer(JsonObject item, string field)
    {
        if (!item.TryGetPropertyValue(field, out var node)) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return i;
        if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && int.TryParse(s.GetValue<string>(), out var parsed)) return parsed;
        throw Invalid(field, $"'{node?.ToJsonString() ?? "None"}' is not an integer");
    }

    public static JsonArray? List(JsonObject item, string field)
    {
        if (!item.TryGetPropertyValue(field, out var node)) return null;
        return node as JsonArray ?? throw Invalid(field, $"'{node?.ToJsonString() ?? "None"}' is not a list");
    }

    /// <summary>
    /// The project a new resource belongs to: the caller's, or (admin only) the tenant_id / project_id given, as Neutron.
    /// </summary>
    public static string Project(JsonObject item, RequestContext ctx)
    {
        var tenant = String(item, "tenant_id");
        var project = String(item, "project_id");
        if (tenant is not null && project is not null && tenant != project)
            throw BadRequest("'project_id' and 'tenant_id' do not match");
        var asked = project ?? tenant;
        if (asked is null || asked == ctx.ProjectId) return ctx.ProjectId;
        if (!ctx.IsAdmin)
            throw BadRequest("Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin privileges");
        return asked;
    }

    /// <summary>Attributes only an admin may set (Neutron's policy): 403 for anyone else.</summary>
    public static void AdminOnly(JsonObject item, RequestContext ctx, string action, params string[] fields)
    {
        foreach (var field in fields)
            if (item.ContainsKey(field) && !ctx.IsAdmin)
                throw new NeutronException(403, "PolicyNotAuthorized", $"(rule:{action} and rule:{action}:{field}) is disallowed by policy");
    }

    public static NeutronException Invalid(string field, string reason) => BadRequest($"Invalid input for {field}. Reason: {reason}.");

    public static NeutronException BadRequest(string message) => new(400, "HTTPBadRequest", message);
}
