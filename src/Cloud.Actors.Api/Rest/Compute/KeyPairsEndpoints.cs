using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>/os-keypairs: create (generated) or import, list, show, delete; a user sees only its own key pairs.</summary>
public sealed class KeyPairsEndpoints(NovaService nova)
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
        var keyPairs = await nova.KeyPairs(Owner(http, "index"));
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
        var caller = Owner(http, "show");
        var keyPairs = await nova.KeyPairs(caller);
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
        KeyPairSchemas.Create(version).Validate(body);
        var request = RequestFields.Object(body, "keypair");
        var name = RequestFields.String(request, "name", required: true)!;
        // From 2.92 Nova no longer generates key pairs: the public key is required.
        var publicKey = RequestFields.String(request, "public_key", required: version.AtLeast(92));
        var type = RequestFields.String(request, "type") ?? "ssh";
        var owner = http.Caller();
        if (version.AtLeast(10) && RequestFields.String(request, "user_id") is { } userId && userId != owner.UserId)
        {
            if (!owner.IsAdmin) throw ComputePolicy.Forbidden("os-keypairs:create");
            owner = owner with { UserId = userId };
        }

        var (keyPair, privateKey) = await nova.AddKeyPair(name, publicKey, owner, type, specialCharacters: version.AtLeast(92));
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

    /// <summary>
    /// Whose key pairs: the caller's, or from 2.10 an admin's choice of user (?user_id=), as Nova's policy allows;
    /// anyone else asking for another user's is refused.
    /// </summary>
    private static Application.RequestContext Owner(HttpContext http, string rule)
    {
        var caller = http.Caller();
        if (!http.Microversion().AtLeast(10) || http.Request.Query["user_id"].FirstOrDefault() is not { Length: > 0 } userId || userId == caller.UserId)
            return caller;
        if (!caller.IsAdmin) throw ComputePolicy.Forbidden($"os-keypairs:{rule}");
        return caller with { UserId = userId };
    }

    private async Task<IResult> Delete(HttpContext http, string name)
    {
        await nova.DeleteKeyPair(name, Owner(http, "delete"));
        return Results.StatusCode(http.Microversion().AtLeast(2) ? StatusCodes.Status204NoContent : StatusCodes.Status202Accepted);
    }
}
