using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// /os-services (admin only, as Nova's policy): the controller's nova-scheduler and each host's nova-compute,
/// up or down, enabled or disabled. Only a nova-compute service can be enabled or disabled: from 2.53 by
/// <c>PUT /os-services/{uuid}</c>, before that by the <c>enable</c>, <c>disable</c> and <c>disable-log-reason</c>
/// actions naming host and binary. Forcing a service down is refused (forced_down: false, what every service
/// is, is accepted): here a host is down when the cluster's failure detector says so.
/// </summary>
public sealed class ServicesEndpoints(NovaService nova)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/os-services", JsonBody.Handle(List));
        api.MapPut("/os-services/{id}", Update);
    }

    /// <summary>
    /// Before 2.53 an integer: the service's place in the full list (the scheduler first, then the hosts by name),
    /// stable while the set of hosts is; from 2.53 a uuid derived from binary and host, stable for ever.
    /// </summary>
    private static JsonNode Id(HttpContext http, ComputeServiceView service, int index) => http.Microversion().AtLeast(53)
        ? service.Id
        : index + 1;

    private async Task<IResult> List(HttpContext http)
    {
        ComputePolicy.RequireAdmin(http, "os-services:list");
        var host = http.Request.Query["host"].ToString();
        var binary = http.Request.Query["binary"].ToString();
        var rows = (await nova.Services())
            .Select((service, index) => (service, index))
            .Where(r => (host.Length == 0 || r.service.Host == host) && (binary.Length == 0 || r.service.Binary == binary))
            .Select(r => (JsonNode)View(http, r.service, r.index))
            .ToArray();
        return JsonBody.Write(new JsonObject { ["services"] = new JsonArray(rows) });
    }

    private async Task<IResult> Update(HttpContext http, string id)
    {
        ComputePolicy.RequireAdmin(http, "os-services:update");
        var body = await JsonBody.ReadObject(http);
        return http.Microversion().AtLeast(53) ? await UpdateById(http, id, body) : await UpdateByAction(http, id, body);
    }

    /// <summary>2.53+: PUT /os-services/{uuid} with status, disabled_reason (and forced_down, refused).</summary>
    private async Task<IResult> UpdateById(HttpContext http, string id, JsonObject body)
    {
        RequestFields.OnlyKnown(body, "service", "status", "disabled_reason", "forced_down");
        if (!Guid.TryParse(id, out _)) throw new NovaException(400, $"Invalid uuid {id}");
        var services = await nova.Services();
        var service = services.FirstOrDefault(s => s.Id == id)
                      ?? throw new NovaException(404, $"Service {id} not found.");
        var status = RequestFields.String(body, "status");
        if (status is not null and not ("enabled" or "disabled"))
            throw new NovaException(400, $"Invalid input for field/attribute status. Value: {status}. '{status}' is not one of ['enabled', 'disabled']");
        var reason = RequestFields.String(body, "disabled_reason");
        var forcedDown = ForcedDown(body);
        if (status is null && forcedDown is null)
            throw new NovaException(400, "No updates were requested. Fields 'status' or 'forced_down' should be specified.");
        if (reason is not null && status != "disabled")
            throw new NovaException(400, "Specifying 'disabled_reason' with status 'enabled' is invalid.");
        // forced_down: false asks for what every service here already is.
        var updated = status is null ? service : await nova.SetServiceStatus(service.Host, service.Binary, status == "enabled", reason);
        return JsonBody.Write(new JsonObject { ["service"] = View(http, updated, services.ToList().FindIndex(s => s.Binary == updated.Binary && s.Host == updated.Host)) });
    }

    /// <summary>
    /// Before 2.53: PUT /os-services/enable | disable | disable-log-reason (and force-down from 2.11) with host and
    /// binary.
    /// </summary>
    private async Task<IResult> UpdateByAction(HttpContext http, string action, JsonObject body)
    {
        var forceDown = action == "force-down" && http.Microversion().AtLeast(11);
        if (!forceDown && action is not ("enable" or "disable" or "disable-log-reason")) throw new NovaException(404, "Unknown action");
        RequestFields.OnlyKnown(body, "service", "host", "binary", forceDown ? "forced_down" : "disabled_reason");
        var host = RequestFields.String(body, "host", required: true)!;
        var binary = RequestFields.String(body, "binary", required: true)!;
        if (forceDown)
        {
            if (ForcedDown(body) is null) throw RequestFields.Required("forced_down");
            if (!(await nova.Services()).Any(s => s.Host == host && s.Binary == binary))
                throw new NovaException(404, $"Host '{host}' could not be found.");
            return JsonBody.Write(new JsonObject
            {
                ["service"] = new JsonObject { ["host"] = host, ["binary"] = binary, ["forced_down"] = false },
            });
        }
        string? reason = null;
        if (action == "disable-log-reason")
            reason = RequestFields.String(body, "disabled_reason") ?? throw new NovaException(400, "Missing disabled reason field");
        var updated = await nova.SetServiceStatus(host, binary, action == "enable", reason);
        var service = new JsonObject { ["host"] = updated.Host, ["binary"] = updated.Binary, ["status"] = Status(updated) };
        if (reason is not null) service["disabled_reason"] = reason;
        return JsonBody.Write(new JsonObject { ["service"] = service });
    }

    /// <summary>The forced_down asked for: null when absent, false accepted (nothing is forced down here), true refused.</summary>
    private static bool? ForcedDown(JsonObject body)
    {
        if (!body.TryGetPropertyValue("forced_down", out var node)) return null;
        if (node is not JsonValue v || v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            throw RequestFields.WrongType("forced_down", node, "boolean");
        if (v.GetValueKind() == JsonValueKind.False) return false;
        throw new NovaException(400,
            "Invalid input for field/attribute forced_down. Forcing a service down is not supported: a host is down when the cluster's failure detector finds it unreachable.");
    }

    private static string Status(ComputeServiceView service) => service.Enabled ? "enabled" : "disabled";

    private static JsonObject View(HttpContext http, ComputeServiceView service, int index)
    {
        var view = new JsonObject
        {
            ["id"] = Id(http, service, index),
            ["binary"] = service.Binary,
            ["host"] = service.Host,
            ["zone"] = service.Zone,
            ["status"] = Status(service),
            ["state"] = service.Up ? "up" : "down",
            ["updated_at"] = service.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            ["disabled_reason"] = service.DisabledReason,
        };
        if (http.Microversion().AtLeast(11)) view["forced_down"] = false;
        return view;
    }
}
