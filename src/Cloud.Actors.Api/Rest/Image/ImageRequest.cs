using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>
/// The body of Glance's image create, typed field by field: a value of the wrong JSON type is Glance's 400 naming
/// the field; any attribute Glance does not know is an extra property and must be a string.
/// </summary>
public static class ImageRequest
{
    public static ImageCreation Parse(JsonObject body)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var creation = new ImageCreation();
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "id": creation = creation with { Id = String(key, value) }; break;
                case "name": creation = creation with { Name = String(key, value) }; break;
                case "disk_format": creation = creation with { DiskFormat = String(key, value) }; break;
                case "container_format": creation = creation with { ContainerFormat = String(key, value) }; break;
                case "visibility": creation = creation with { Visibility = String(key, value) }; break;
                case "owner": creation = creation with { Owner = String(key, value) }; break;
                case "min_disk": creation = creation with { MinDiskGb = Integer(key, value) }; break;
                case "min_ram": creation = creation with { MinRamMb = Integer(key, value) }; break;
                case "tags": creation = creation with { Tags = Tags(value) }; break;
                case "protected":
                    // Protection against deletion is not kept; asking for it must not silently succeed.
                    if (value is not JsonValue flag || flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                        throw ImageSchema.Invalid(key, $"{value?.ToJsonString() ?? "None"} is not of type 'boolean'", "type");
                    if (flag.GetValue<bool>()) throw new NovaException(400, "Protected images are not supported by this cloud.");
                    break;
                case "os_hidden":
                    if (value is not JsonValue hidden || hidden.GetValueKind() is not JsonValueKind.False)
                        throw new NovaException(400, "Hidden images are not supported by this cloud.");
                    break;
                default:
                    if (ImageSchema.ReadOnly.Contains(key)) throw new NovaException(403, $"Attribute '{key}' is read-only.");
                    properties[key] = String(key, value) ?? throw ImageSchema.Invalid(key, "None is not of type 'string'", "type");
                    break;
            }
        }
        return creation with { Properties = properties };
    }

    private static string? String(string field, JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw ImageSchema.Invalid(field, $"{value.ToJsonString()} is not of type 'string'", "type"),
    };

    private static int Integer(string field, JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number)
            ? number
            : throw ImageSchema.Invalid(field, $"{value?.ToJsonString() ?? "None"} is not of type 'integer'", "type");

    private static IReadOnlyList<string> Tags(JsonNode? value) =>
        value is JsonArray tags
            ? tags.Select(t => String("tags", t) ?? throw ImageSchema.Invalid("tags", "None is not of type 'string'", "type")).ToList()
            : throw ImageSchema.Invalid("tags", $"{value?.ToJsonString() ?? "None"} is not of type 'array'", "type");
}
