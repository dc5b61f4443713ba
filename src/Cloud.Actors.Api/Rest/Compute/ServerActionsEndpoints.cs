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
                return await Rebuild(http, body, found);
            case "os-getConsoleOutput":
                var length = ConsoleLength(argument);
                var output = await nova.ConsoleLog(uuid, length, http.Caller());
                return JsonBody.Write(new JsonObject { ["output"] = output });
            default:
                throw new NovaException(400, $"There is no such action: {action}");
        }
    }

    /// <summary>Nova's length: an integer or a numeric string, -1 or absent for the whole log.</summary>
    /// <summary>
    /// Nova's rebuild, checked by its schema first: a new image (and name), metadata that replaces the old, access IPs
    /// and description; the key pair and user_data are the server's own unless the same are given (this cloud does
    /// not change them on a rebuild), personality is refused.
    /// </summary>
    private async Task<IResult> Rebuild(HttpContext http, JsonObject body, Domain.Messages.InstanceFound found)
    {
        var version = http.Microversion();
        ServerSchemas.Rebuild(version).Validate(body);
        var rebuild = body["rebuild"]!.AsObject();
        var uuid = found.State.Id.ToString();
        var spec = found.State.Spec;
        var imageRef = RequestFields.String(rebuild, "imageRef", required: true)!;
        var newName = RequestFields.String(rebuild, "name");
        // The whole body is checked before anything happens: a bad name must not leave a server re-imaged.
        if (newName is not null) InputValidation.Name("name", newName);
        if (rebuild["personality"] is JsonArray { Count: > 0 })
            throw new NovaException(400, "Invalid input for field/attribute personality. Personality (file injection) is not supported by this cloud.");
        if (rebuild.ContainsKey("key_name") && rebuild["key_name"]?.GetValue<string>() != spec.KeyName)
            throw new NovaException(400, "Invalid input for field/attribute key_name. Changing the key pair on a rebuild is not supported by this cloud.");
        if (rebuild.ContainsKey("user_data") && rebuild["user_data"]?.GetValue<string>() != spec.UserData)
            throw new NovaException(400, "Invalid input for field/attribute user_data. Changing user_data on a rebuild is not supported by this cloud.");
        if (rebuild["trusted_image_certificates"] is JsonArray { Count: > 0 } || rebuild.ContainsKey("hostname"))
            throw new NovaException(400, "Invalid input for field/attribute rebuild. Trusted certificates and hostnames are not supported by this cloud.");
        var attributes = spec.Attributes ?? ServerAttributes.None;
        var changed = attributes with
        {
            Metadata = rebuild["metadata"] is JsonObject metadata
                ? metadata.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal)
                : attributes.Metadata,
            AccessIPv4 = rebuild.ContainsKey("accessIPv4") ? RequestFields.String(rebuild, "accessIPv4") is { Length: > 0 } v4 ? v4 : null : attributes.AccessIPv4,
            AccessIPv6 = rebuild.ContainsKey("accessIPv6") ? ServersEndpoints.Ipv6(RequestFields.String(rebuild, "accessIPv6")) is { Length: > 0 } v6 ? v6 : null : attributes.AccessIPv6,
            DiskConfig = RequestFields.String(rebuild, "OS-DCF:diskConfig") ?? attributes.DiskConfig,
            Description = rebuild.ContainsKey("description") ? rebuild["description"]?.GetValue<string>() : attributes.Description,
        };
        var adminPass = RequestFields.String(rebuild, "adminPass") ?? ServersEndpoints.AdminPass();

        // Nova's imageRef is an id (or an image URL ending in one).
        var rebuilt = await nova.Rebuild(uuid, imageRef[(imageRef.LastIndexOf('/') + 1)..], http.Caller());
        if (newName is not null || changed != attributes)
            rebuilt = await nova.Update(uuid, newName, changed == attributes ? null : changed, http.Caller());
        var view = ServersEndpoints.View(http).Updated(rebuilt);
        view["adminPass"] = adminPass;
        // From 2.57 the answer says what user_data the rebuilt server has, there and not among the admin's attributes.
        if (version.AtLeast(57))
        {
            view["user_data"] = rebuilt.State.Spec.UserData;
            view.Remove("OS-EXT-SRV-ATTR:user_data");
        }
        return JsonBody.Write(new JsonObject { ["server"] = view }, StatusCodes.Status202Accepted);
    }

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
