using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// Typed reads of a request body's fields with Nova's jsonschema messages ("Invalid input for field/attribute
/// name. Value: 1. 1 is not of type 'string'"), so a wrong type is a 400 naming the field before anything is done.
/// </summary>
public static class RequestFields
{
    public static JsonObject Object(JsonObject parent, string field)
    {
        var node = parent[field];
        if (node is null && !parent.ContainsKey(field)) throw Required(field);
        return node as JsonObject ?? throw WrongType(field, node, "object");
    }

    public static string? String(JsonObject parent, string field, bool required = false)
    {
        if (!parent.TryGetPropertyValue(field, out var node))
            return required ? throw Required(field) : null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw WrongType(field, node, "string");
    }

    /// <summary>A string, or a number as its JSON text (Nova's flavorRef takes both); null when absent.</summary>
    public static string? Text(JsonObject parent, string field) =>
        parent[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : String(parent, field);

    /// <summary>An integer, or a string of digits (Nova's parameter_types for counts accept both).</summary>
    public static int? Integer(JsonObject parent, string field, int minimum)
    {
        if (!parent.TryGetPropertyValue(field, out var node)) return null;
        int value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) value = i;
        else if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String
                 && int.TryParse(s.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) value = parsed;
        else throw WrongType(field, node, "integer");
        if (value < minimum)
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value: {value}. {value} is less than the minimum of {minimum}");
        return value;
    }

    /// <summary>Nova's user_data: a base64 string of at most <paramref name="maxLength"/> characters, kept as given.</summary>
    public static string? Base64(JsonObject parent, string field, int maxLength)
    {
        if (String(parent, field) is not { } text) return null;
        if (text.Length > maxLength)
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value: {text[..16]}... is too long (at most {maxLength} characters)");
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out _))
        {
            var shown = text.Length > 32 ? text[..32] + "..." : text;
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value: {shown}. '{shown}' is not a 'base64'");
        }
        return text;
    }

    /// <summary>Nova's parameter_types.boolean: true or false, or one of the strings it lists for them.</summary>
    public static bool? Boolean(JsonObject parent, string field)
    {
        if (!parent.TryGetPropertyValue(field, out var node)) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.True) return true;
            if (v.GetValueKind() == JsonValueKind.False) return false;
            if (v.GetValueKind() == JsonValueKind.String)
            {
                if (InputValidation.Boolean(v.GetValue<string>()) is { } parsed) return parsed;
            }
        }
        var shown = node?.ToJsonString() ?? "None";
        throw new NovaException(400, $"Invalid input for field/attribute {field}. Value: {shown}. {shown} {InputValidation.BooleanChoices}");
    }

    public static NovaException Required(string field) =>
        new(400, $"Invalid input for field/attribute {field}. Value: None. '{field}' is a required property");

    public static NovaException WrongType(string field, JsonNode? value, string type)
    {
        var text = value?.ToJsonString() ?? "None";
        return new NovaException(400, $"Invalid input for field/attribute {field}. Value: {text}. {text} is not of type '{type}'");
    }

    /// <summary>Nova's additionalProperties: false: a field it does not know is refused, not ignored.</summary>
    public static void OnlyKnown(JsonObject body, string where, params string[] known)
    {
        var unknown = body.Select(p => p.Key).Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new NovaException(400, $"Invalid input for field/attribute {where}. Additional properties are not allowed ({string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Count == 1 ? "was" : "were")} unexpected)");
    }
}
