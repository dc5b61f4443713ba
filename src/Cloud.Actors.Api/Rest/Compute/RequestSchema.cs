using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Json.Schema;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// One request body's JSON Schema, checked as nova.api.validation checks it (Draft 4's keywords, formats enforced):
/// a body that does not match is a 400 naming the field that does not, with Nova's wording ("Invalid input for
/// field/attribute accessIPv4. Value: 999.1.1.1. ..."), before anything is looked up or done. Nova's own
/// formats are here: name (printable, no surrounding whitespace), base64, uuid, ipv4 and ipv6.
/// </summary>
public sealed partial class RequestSchema
{
    private static readonly EvaluationOptions Options = NewOptions();

    private readonly JsonSchema _schema;

    public RequestSchema(JsonNode schema) => _schema = JsonSchema.FromText(schema.ToJsonString());

    /// <summary>Throws a 400 <see cref="NovaException"/> naming the first field that does not match.</summary>
    public void Validate(JsonNode body)
    {
        var results = _schema.Evaluate(JsonSerializer.SerializeToElement(body), Options);
        if (results.IsValid) return;
        var failure = Best(results);
        var segments = Segments(failure.InstanceLocation.ToString());
        var value = Value(body, segments);
        var errors = failure.Errors ?? new Dictionary<string, string>();
        var message = errors.Count > 0 ? string.Join("; ", errors.Values) : "is not valid";
        if (errors.TryGetValue("required", out var required))
            message = string.Join("; ", QuotedNames().Matches(required).Select(m => $"'{m.Groups[1].Value}' is a required property"));
        else if (failure.EvaluationPath.ToString().Contains("/additionalProperties", StringComparison.Ordinal) && segments.Count > 0)
        {
            // The property that is not allowed is the failure's location; Nova names the object that has it.
            message = $"Additional properties are not allowed ('{segments[^1]}' was unexpected)";
            segments.RemoveAt(segments.Count - 1);
            value = Value(body, segments);
        }
        // As Nova's validator: the field is the last step of the path (the body itself has none).
        if (segments.Count == 0) throw new NovaException(400, message);
        throw new NovaException(400, $"Invalid input for field/attribute {segments[^1]}. Value: {value}. {message}");
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex QuotedNames();

    /// <summary>
    /// The error Nova's validator would report (jsonschema's best_match): the one nearest the top of the body, not a
    /// mere "no alternative matched" when an alternative says why (a failing branch under a passing oneOf is no error).
    /// </summary>
    private static EvaluationResults Best(EvaluationResults root)
    {
        var best = root;
        var bestDepth = int.MaxValue;
        var pending = new Queue<EvaluationResults>([root]);
        while (pending.TryDequeue(out var node))
        {
            if (node.IsValid) continue;
            if (node.Errors is { Count: > 0 } errors && errors.Keys.Any(k => k is not ("oneOf" or "anyOf" or "allOf"))
                && node.InstanceLocation.SegmentCount < bestDepth)
                (best, bestDepth) = (node, node.InstanceLocation.SegmentCount);
            foreach (var detail in node.Details ?? []) pending.Enqueue(detail);
        }
        return best;
    }

    /// <summary>A JSON pointer's segments, unescaped ("/server/a~1b" is server, a/b).</summary>
    private static List<string> Segments(string pointer) =>
        pointer.Split('/').Skip(1).Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToList();

    private static string Value(JsonNode body, IReadOnlyList<string> path)
    {
        JsonNode? node = body;
        foreach (var segment in path)
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                _ => null,
            };
        var text = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "None";
        return text.Length > 64 ? text[..64] + "..." : text;
    }

    private static EvaluationOptions NewOptions()
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };
        options.FormatRegistry.Register(new PredicateFormat("name", IsName));
        options.FormatRegistry.Register(new PredicateFormat("base64", IsBase64));
        return options;
    }

    /// <summary>Nova's parameter_types.name: printable, without leading or trailing whitespace (length is the schema's).</summary>
    private static bool IsName(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return true;
        var text = value.GetString()!;
        return text.Length == 0 || (!char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[^1]) && !text.Any(char.IsControl));
    }

    private static bool IsBase64(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return true;
        var text = value.GetString()!;
        return Convert.TryFromBase64String(text, new byte[text.Length], out _);
    }
}
