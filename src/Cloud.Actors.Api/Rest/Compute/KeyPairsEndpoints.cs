using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>/os-keypairs: create (generated) or import, list, show, delete; a user sees only its own key pairs.</summary>
public sealed class KeyPairsEndpoints(Func<NovaService> nova)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/os-keypairs", JsonBody.Handle(List));
        api.MapGet("/os-keypairs/{name}", Show);
        api.MapPost("/os-keypairs", JsonBody.Handle(Create));
        api.MapDelete("/os-keypairs/{name}", Delete);
    }

    private async Task<IResult> List(HttpContext http)
    {
        var version = http.Microversion();
        var keyPairs = await nova().KeyPairs(http.Caller());
        return JsonBody.Write(new JsonObject
        {
            ["keypairs"] = new JsonArray(keyPairs.Select(k =>
            {
                var view = new JsonObject { ["name"] = k.Name, ["public_key"] = k.PublicKey, ["fingerprint"] = k.Fingerprint };
                if (version.AtLeast(2)) view["type"] = k.Type;
                return (JsonNode)new JsonObject { ["keypair"] = view };
            }).ToArray()),
        });
    }

    private async Task<IResult> Show(HttpContext http, string name)
    {
        var caller = http.Caller();
        var keyPairs = await nova().KeyPairs(caller);
        var index = keyPairs.ToList().FindIndex(k => k.Name == name);
        if (index < 0) throw new NovaException(404, $"Keypair {name} not found for user {caller.UserId}");
        var k = keyPairs[index];
        var view = new JsonObject
        {
            ["name"] = k.Name,
            ["public_key"] = k.PublicKey,
            ["fingerprint"] = k.Fingerprint,
            ["user_id"] = k.UserId,
            ["created_at"] = k.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
            ["deleted"] = false,
            ["deleted_at"] = null,
            ["updated_at"] = null,
            // Nova's is a database row id; ours is stable per user while the key pair list does not change.
            ["id"] = index + 1,
        };
        if (http.Microversion().AtLeast(2)) view["type"] = k.Type;
        return JsonBody.Write(new JsonObject { ["keypair"] = view });
    }

    private async Task<IResult> Create(HttpContext http)
    {
        var version = http.Microversion();
        var body = await JsonBody.ReadObject(http);
        var request = RequestFields.Object(body, "keypair");
        var name = RequestFields.String(request, "name", required: true)!;
        // From 2.92 Nova no longer generates key pairs: the public key is required.
        var publicKey = RequestFields.String(request, "public_key", required: version.AtLeast(92));
        var type = version.AtLeast(2) ? RequestFields.String(request, "type") ?? "ssh" : "ssh";
        if (type != "ssh") throw new NovaException(400, $"Invalid input for field/attribute type. Value: {type}. Only 'ssh' key pairs are supported here.");
        if (RequestFields.String(request, "user_id") is { } userId && userId != http.Caller().UserId)
            throw new NovaException(403, "Policy doesn't allow os_compute_api:os-keypairs:create to be performed.");

        var (keyPair, privateKey) = await nova().AddKeyPair(name, publicKey, http.Caller());
        var view = new JsonObject
        {
            ["name"] = keyPair.Name,
            ["public_key"] = keyPair.PublicKey,
            ["fingerprint"] = keyPair.Fingerprint,
            ["user_id"] = keyPair.UserId,
        };
        if (privateKey is not null) view["private_key"] = privateKey;
        if (version.AtLeast(2)) view["type"] = keyPair.Type;
        return JsonBody.Write(new JsonObject { ["keypair"] = view },
            version.AtLeast(2) ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private async Task<IResult> Delete(HttpContext http, string name)
    {
        await nova().DeleteKeyPair(name, http.Caller());
        return Results.StatusCode(http.Microversion().AtLeast(2) ? StatusCodes.Status204NoContent : StatusCodes.Status202Accepted);
    }
}
