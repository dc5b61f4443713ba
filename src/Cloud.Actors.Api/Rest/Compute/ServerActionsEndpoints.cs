using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Instances;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>POST /servers/{id}/action: os-stop, os-start, reboot SOFT/HARD, pause, unpause, suspend, resume, rebuild, os-getConsoleOutput.</summary>
public sealed class ServerActionsEndpoints(NovaService nova)
{
    public void Map(IEndpointRouteBuilder api) => api.MapPost("/servers/{id}/action", Act);

    private async Task<IResult> Act(HttpContext http, string id)
    {
        var body = await JsonBody.ReadObject(http);
        if (body.Count != 1)
            throw new NovaException(400, "There is no such action: " + (body.Count == 0 ? "(none)" : string.Join(", ", body.Select(p => p.Key))));
        var (action, argument) = body.First();
        var found = await ServersEndpoints.Find(nova, http, id);
        var uuid = found.State.Id.ToString();
        switch (action)
        {
            case "os-stop":
                await nova.Act(uuid, InstanceAction.Stop, http.Caller());
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case "os-start":
                await nova.Act(uuid, InstanceAction.Start, http.Caller());
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case "reboot":
                if (argument is not JsonObject reboot) throw RequestFields.WrongType("reboot", argument, "object");
                var type = RequestFields.String(reboot, "type", required: true)!;
                var kind = type.ToUpperInvariant() switch
                {
                    "SOFT" => InstanceAction.Reboot,
                    "HARD" => InstanceAction.RebootHard,
                    _ => throw new NovaException(400, $"Invalid input for field/attribute type. Value: {type}. '{type}' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']"),
                };
                await nova.Act(uuid, kind, http.Caller());
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case "pause" or "unpause" or "suspend" or "resume":
                // Nova's body for these is {"pause": null}; nothing inside it is read.
                await nova.Act(uuid, action switch
                {
                    "pause" => InstanceAction.Pause,
                    "unpause" => InstanceAction.Unpause,
                    "suspend" => InstanceAction.Suspend,
                    _ => InstanceAction.Resume,
                }, http.Caller());
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case "rebuild":
                if (argument is not JsonObject rebuild) throw RequestFields.WrongType("rebuild", argument, "object");
                // preserve_ephemeral asks to keep an ephemeral disk, and no flavor here has one.
                RequestFields.OnlyKnown(rebuild, "rebuild", "imageRef", "name", "preserve_ephemeral");
                var imageRef = RequestFields.String(rebuild, "imageRef", required: true)!;
                var newName = RequestFields.String(rebuild, "name");
                if (rebuild.TryGetPropertyValue("preserve_ephemeral", out var preserve)
                    && (preserve is not JsonValue flag || flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)))
                    throw RequestFields.WrongType("preserve_ephemeral", preserve, "boolean");
                // The whole body is checked before anything happens: a bad name must not leave a server re-imaged.
                if (newName is not null) InputValidation.Name("name", newName);
                // Nova's imageRef is an id (or an image URL ending in one).
                var rebuilt = await nova.Rebuild(uuid, imageRef[(imageRef.LastIndexOf('/') + 1)..], http.Caller());
                if (newName is not null) rebuilt = await nova.Rename(uuid, newName, http.Caller());
                return JsonBody.Write(new JsonObject { ["server"] = ServersEndpoints.View(http).Updated(rebuilt) }, StatusCodes.Status202Accepted);
            case "os-getConsoleOutput":
                var length = ConsoleLength(argument);
                var output = await nova.ConsoleLog(uuid, length, http.Caller());
                return JsonBody.Write(new JsonObject { ["output"] = output });
            default:
                throw new NovaException(400, $"There is no such action: {action}");
        }
    }

    /// <summary>Nova's length: an integer or a numeric string, -1 or absent for the whole log.</summary>
    private static int? ConsoleLength(JsonNode? argument)
    {
        if (argument is null) return null;
        if (argument is not JsonObject request) throw RequestFields.WrongType("os-getConsoleOutput", argument, "object");
        if (!request.TryGetPropertyValue("length", out var node) || node is null) return null;
        int length;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n)) length = n;
        else if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && int.TryParse(s.GetValue<string>(), out var parsed)) length = parsed;
        else throw RequestFields.WrongType("length", node, "integer");
        if (length < -1) throw new NovaException(400, $"Invalid input for field/attribute length. Value: {length}. {length} is less than the minimum of -1");
        return length == -1 ? null : length;
    }
}
