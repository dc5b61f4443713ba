using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// The JSON Schemas of POST /servers and PUT /servers/{id} at each microversion, with the rules of Nova's
/// (nova/api/openstack/compute/schemas/servers.py and parameter_types.py): the 2.1 schema, then what each
/// microversion adds, changes or removes, as Nova builds one from the other. Every field Nova takes is here; a field
/// this cloud cannot honour (volumes, file injection, tags, trusted certificates) passes the schema and is refused
/// by the handler, so its 400 says so rather than that the field is unknown.
/// </summary>
public static class ServerSchemas
{
    private static readonly ConcurrentDictionary<(string, int), RequestSchema> Built = new();

    // parameter_types, as Nova defines them.
    private const string Name = """{"type": "string", "minLength": 1, "maxLength": 255, "format": "name"}""";
    private const string Boolean = """
        {"type": ["boolean", "string"], "enum": [true, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
                                                 false, "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no"]}
        """;
    private const string PositiveInteger = """{"type": ["integer", "string"], "pattern": "^[0-9]*$", "minimum": 1, "minLength": 1}""";
    private const string IpAddress = """{"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]}""";
    private const string Uuid = """{"type": "string", "format": "uuid"}""";
    private const string Description = """{"type": ["string", "null"], "minLength": 0, "maxLength": 255, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}""";
    private const string Tag = """{"type": "string", "minLength": 1, "maxLength": 60, "pattern": "^[^,/]*$"}""";
    private const string Metadata = """
        {"type": "object", "patternProperties": {"^[a-zA-Z0-9-_:. ]{1,255}$": {"type": "string", "maxLength": 255}},
         "additionalProperties": false}
        """;
    private const string Fqdn = """{"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[a-zA-Z0-9-._]*$"}""";

    /// <summary>The schema of POST /servers at microversion 2.<paramref name="minor"/>.</summary>
    public static RequestSchema Create(ApiVersion version) =>
        Built.GetOrAdd(("create", CreateStep(version.Minor)), key => new RequestSchema(CreateSchema(key.Item2)));

    /// <summary>The schema of PUT /servers/{id} at microversion 2.<paramref name="minor"/>.</summary>
    public static RequestSchema Update(ApiVersion version) =>
        Built.GetOrAdd(("update", version.Minor >= 19 ? 19 : 1), key => new RequestSchema(UpdateSchema(key.Item2)));

    /// <summary>The schema of the rebuild action ({"rebuild": {...}}) at microversion 2.<paramref name="minor"/>.</summary>
    public static RequestSchema Rebuild(ApiVersion version) =>
        Built.GetOrAdd(("rebuild", new[] { 90, 63, 57, 54, 19, 1 }.First(step => version.Minor >= step)), key => new RequestSchema(RebuildSchema(key.Item2)));

    /// <summary>The microversions at which the create schema changes (a version between two uses the lower one's).</summary>
    private static int CreateStep(int minor) => new[] { 90, 74, 67, 63, 57, 52, 42, 37, 33, 32, 19, 1 }.First(step => minor >= step);

    private static JsonObject CreateSchema(int step)
    {
        var server = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["name"] = Node(Name),
                // Empty only for a boot from volume, which the handler refuses.
                ["imageRef"] = Node("""{"oneOf": [{"type": "string", "format": "uuid"}, {"type": "string", "maxLength": 0}]}"""),
                ["flavorRef"] = Node("""{"type": ["string", "integer"], "minLength": 1}"""),
                ["adminPass"] = Node("""{"type": "string"}"""),
                ["metadata"] = Node(Metadata),
                ["networks"] = Node("""
                    {"type": "array", "items": {"type": "object", "properties": {
                        "fixed_ip": @ip, "port": {"oneOf": [@uuid, {"type": "null"}]}, "uuid": {"type": "string"}},
                     "additionalProperties": false}}
                    """),
                ["OS-DCF:diskConfig"] = Node("""{"type": "string", "enum": ["AUTO", "MANUAL"]}"""),
                ["accessIPv4"] = Node("""{"type": "string", "format": "ipv4"}"""),
                ["accessIPv6"] = Node("""{"type": "string", "format": "ipv6"}"""),
                ["personality"] = Node("""
                    {"type": "array", "items": {"type": "object", "properties": {
                        "path": {"type": "string", "minLength": 1, "maxLength": 255}, "contents": {"type": "string", "format": "base64"}},
                     "additionalProperties": false}}
                    """),
                ["availability_zone"] = Node(Name),
                ["block_device_mapping"] = Node("""{"type": "array", "items": {"type": "object"}}"""),
                ["block_device_mapping_v2"] = Node("""{"type": "array", "items": {"type": "object"}}"""),
                ["config_drive"] = Node(Boolean),
                ["key_name"] = Node(Name),
                ["min_count"] = Node(PositiveInteger),
                ["max_count"] = Node(PositiveInteger),
                ["return_reservation_id"] = Node(Boolean),
                ["security_groups"] = Node("""
                    {"type": "array", "items": {"type": "object", "properties": {"name": @name}, "additionalProperties": false}}
                    """),
                ["user_data"] = Node("""{"type": "string", "format": "base64", "maxLength": 65535}"""),
            },
            ["required"] = new JsonArray("name", "flavorRef"),
            ["additionalProperties"] = false,
        };
        var properties = server["properties"]!.AsObject();
        if (step >= 19) properties["description"] = Node(Description);
        // 2.32 (only) and from 2.42: a tag per NIC.
        if (step is 32 or 33) properties["networks"]!["items"]!["properties"]!["tag"] = Node(Tag);
        if (step >= 37)
        {
            server["required"]!.AsArray().Add("networks");
            properties["networks"] = Node("""
                {"oneOf": [
                    {"type": "array", "items": {"type": "object", "properties": {
                        "fixed_ip": @ip, "port": {"oneOf": [@uuid, {"type": "null"}]}, "uuid": @uuid},
                     "additionalProperties": false}},
                    {"type": "string", "enum": ["none", "auto"]}]}
                """);
            if (step >= 42) properties["networks"]!["oneOf"]![0]!["items"]!["properties"]!["tag"] = Node(Tag);
        }
        if (step >= 52) properties["tags"] = Node("""{"type": "array", "items": @tag, "maxItems": 50}""");
        if (step >= 57) properties.Remove("personality");
        if (step >= 63)
            properties["trusted_image_certificates"] = Node("""
                {"type": ["array", "null"], "minItems": 1, "maxItems": 50, "uniqueItems": true, "items": {"type": "string", "minLength": 1}}
                """);
        if (step >= 74)
        {
            properties["host"] = Node(Fqdn);
            properties["hypervisor_hostname"] = Node(Fqdn);
        }
        if (step >= 90) properties["hostname"] = Node(Fqdn);

        var hints = Node("""{"type": "object", "properties": {"group": {"type": "string", "format": "uuid"}}, "additionalProperties": true}""");
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["server"] = server,
                ["os:scheduler_hints"] = hints,
                ["OS-SCH-HNT:scheduler_hints"] = hints.DeepClone(),
            },
            ["required"] = new JsonArray("server"),
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject RebuildSchema(int step)
    {
        var properties = new JsonObject
        {
            ["name"] = Node(Name),
            ["imageRef"] = Node(Uuid),
            ["adminPass"] = Node("""{"type": "string"}"""),
            ["metadata"] = Node(Metadata),
            ["preserve_ephemeral"] = Node(Boolean),
            ["OS-DCF:diskConfig"] = Node("""{"type": "string", "enum": ["AUTO", "MANUAL"]}"""),
            ["accessIPv4"] = Node("""{"type": "string", "format": "ipv4"}"""),
            ["accessIPv6"] = Node("""{"type": "string", "format": "ipv6"}"""),
            ["personality"] = Node("""{"type": "array", "items": {"type": "object"}}"""),
        };
        if (step >= 19) properties["description"] = Node(Description);
        if (step >= 54) properties["key_name"] = Node("""{"type": ["string", "null"], "minLength": 1, "maxLength": 255, "format": "name"}""");
        if (step >= 57)
        {
            properties.Remove("personality");
            properties["user_data"] = Node("""{"oneOf": [{"type": "string", "format": "base64", "maxLength": 65535}, {"type": "null"}]}""");
        }
        if (step >= 63) properties["trusted_image_certificates"] = Node("""{"type": ["array", "null"]}""");
        if (step >= 90) properties["hostname"] = Node(Fqdn);
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["rebuild"] = new JsonObject
                {
                    ["type"] = "object", ["properties"] = properties, ["required"] = new JsonArray("imageRef"), ["additionalProperties"] = false,
                },
            },
            ["required"] = new JsonArray("rebuild"),
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject UpdateSchema(int step)
    {
        var properties = new JsonObject
        {
            ["name"] = Node(Name),
            ["OS-DCF:diskConfig"] = Node("""{"type": "string", "enum": ["AUTO", "MANUAL"]}"""),
            ["accessIPv4"] = Node("""{"type": "string", "format": "ipv4"}"""),
            ["accessIPv6"] = Node("""{"type": "string", "format": "ipv6"}"""),
        };
        if (step >= 19) properties["description"] = Node(Description);
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["server"] = new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false },
            },
            ["required"] = new JsonArray("server"),
            ["additionalProperties"] = false,
        };
    }

    /// <summary>A schema from its JSON, where @name, @ip, @uuid and @tag stand for those parameter types.</summary>
    private static JsonNode Node(string json) =>
        JsonNode.Parse(json.Replace("@name", Name).Replace("@ip", IpAddress).Replace("@uuid", Uuid).Replace("@tag", Tag))!;
}
