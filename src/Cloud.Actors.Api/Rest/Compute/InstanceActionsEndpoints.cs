using System.Globalization;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Instances;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>/servers/{id}/os-instance-actions: list and show, from the instance's journal (NovaService.InstanceActions).</summary>
public sealed class InstanceActionsEndpoints(NovaService nova)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/servers/{id}/os-instance-actions", List);
        api.MapGet("/servers/{id}/os-instance-actions/{requestId}", Show);
    }

    private async Task<IResult> List(HttpContext http, string id)
    {
        var (uuid, actions) = await Actions(http, id);
        return JsonBody.Write(new JsonObject
        {
            ["instanceActions"] = new JsonArray(actions.Select(a => (JsonNode)View(http, uuid, a)).ToArray()),
        });
    }

    private async Task<IResult> Show(HttpContext http, string id, string requestId)
    {
        var (uuid, actions) = await Actions(http, id);
        var action = actions.FirstOrDefault(a => a.RequestId == requestId)
                     ?? throw new NovaException(404, $"Action for request_id {requestId} on instance {uuid} not found");
        var view = View(http, uuid, action);
        var version = http.Microversion();
        var admin = http.Caller().IsAdmin;
        // Before 2.51 only admins see the events; tracebacks are always theirs alone.
        if (admin || version.AtLeast(51))
            view["events"] = new JsonArray(action.Events.Select(e =>
            {
                var step = new JsonObject
                {
                    ["event"] = e.Event,
                    ["start_time"] = Time(e.StartTime),
                    ["finish_time"] = e.FinishTime is { } f ? Time(f) : null,
                    ["result"] = e.Result,
                };
                if (admin) step["traceback"] = e.Traceback;
                if (version.AtLeast(62))
                {
                    if (admin) step["host"] = e.Host;
                    step["hostId"] = InstanceNaming.HostId(action.ProjectId, e.Host);
                }
                return (JsonNode)step;
            }).ToArray());
        return JsonBody.Write(new JsonObject { ["instanceAction"] = view });
    }

    private async Task<(string Uuid, IReadOnlyList<InstanceActionRecord> Actions)> Actions(HttpContext http, string id)
    {
        var found = await ServersEndpoints.Find(nova, http, id);
        var uuid = found.State.Id.ToString();
        return (uuid, await nova.InstanceActions(uuid, http.Caller()));
    }

    private static JsonObject View(HttpContext http, string uuid, InstanceActionRecord a)
    {
        var view = new JsonObject
        {
            ["action"] = a.Action,
            ["instance_uuid"] = uuid,
            ["request_id"] = a.RequestId,
            ["user_id"] = a.UserId,
            ["project_id"] = a.ProjectId,
            ["start_time"] = Time(a.StartTime),
            ["message"] = a.Message,
        };
        if (http.Microversion().AtLeast(58)) view["updated_at"] = Time(a.UpdatedAt);
        return view;
    }

    // Nova's instance action times: ISO 8601 with microseconds, no zone.
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
