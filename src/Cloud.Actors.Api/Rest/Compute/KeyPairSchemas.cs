using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// The JSON Schema of POST /os-keypairs at each microversion, with the rules of Nova's (schemas/keypairs.py): a name
/// and a public key; the type (ssh or x509) from 2.2; the user from 2.10 (admins); nothing else.
/// </summary>
public static class KeyPairSchemas
{
    private static readonly ConcurrentDictionary<int, RequestSchema> Built = new();

    public static RequestSchema Create(ApiVersion version) =>
        Built.GetOrAdd(version.Minor >= 10 ? 10 : version.Minor >= 2 ? 2 : 1, step => new RequestSchema(CreateSchema(step)));

    private static JsonObject CreateSchema(int step)
    {
        var properties = new JsonObject
        {
            ["name"] = JsonNode.Parse("""{"type": "string", "minLength": 1, "maxLength": 255, "format": "name"}"""),
            ["public_key"] = JsonNode.Parse("""{"type": "string"}"""),
        };
        if (step >= 2) properties["type"] = JsonNode.Parse("""{"type": "string", "enum": ["ssh", "x509"]}""");
        if (step >= 10) properties["user_id"] = JsonNode.Parse("""{"type": "string"}""");
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["keypair"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = properties,
                    ["required"] = new JsonArray("name"),
                    ["additionalProperties"] = false,
                },
            },
            ["required"] = new JsonArray("keypair"),
            ["additionalProperties"] = false,
        };
    }
}
