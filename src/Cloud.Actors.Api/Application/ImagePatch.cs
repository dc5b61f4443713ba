using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Api.Application;

/// <summary>One operation of Glance's image update (JSON patch, media type openstack-images-v2.x-json-patch).</summary>
/// <param name="Op">add, replace or remove.</param>
/// <param name="Attribute">The attribute the path names ("/name" is name; a property's path is its key).</param>
/// <param name="AddMustBeNew">An add of an attribute or property the image has is a conflict (the v2.0 media type).</param>
public sealed record ImagePatchOperation(string Op, string Attribute, JsonNode? Value, bool AddMustBeNew = false);

/// <summary>
/// Applies a JSON patch to an image record as Glance's v2 images controller does: the base attributes a caller
/// may change (name, visibility, min_disk, min_ram, tags; disk_format and container_format while queued; owner
/// for admins), the read-only ones (403), and free-form properties (strings; replacing or removing a missing
/// one is 409). Any refusal refuses the whole patch.
/// </summary>
public static class ImagePatch
{
    /// <summary>The attributes every image has, which the update changes but never adds or removes.</summary>
    private static readonly HashSet<string> BaseAttributes =
        ["name", "visibility", "min_disk", "min_ram", "disk_format", "container_format", "tags", "owner", "protected", "os_hidden"];

    public static Image Apply(Image image, IReadOnlyList<ImagePatchOperation> operations, RequestContext ctx)
    {
        foreach (var operation in operations) image = Apply(image, operation, ctx);
        return image;
    }

    private static Image Apply(Image image, ImagePatchOperation operation, RequestContext ctx)
    {
        var (op, attribute, value, addMustBeNew) = operation;
        if (op is not ("add" or "replace" or "remove"))
            throw new NovaException(400, $"Unable to find '{op}' in JSON Schema change. It must be one of the following: add, remove, replace.");
        if (addMustBeNew && op == "add" && (BaseAttributes.Contains(attribute) || image.Properties.ContainsKey(attribute)))
            throw new NovaException(409, $"Property {attribute} already present.");
        if (ImageSchema.ReadOnly.Contains(attribute) || attribute == "id")
            throw new NovaException(403, $"Attribute '{attribute}' is read-only.");
        switch (attribute)
        {
            case "name":
                return image with { Name = ImageSchema.Length("name", NullableString(attribute, Value(operation))) ?? "" };
            case "visibility":
                var visibility = ImageSchema.OneOf("visibility", String(attribute, Value(operation)), Image.Visibilities)!;
                if (visibility == Image.Public && !ctx.IsAdmin)
                    throw new NovaException(403, "You are not authorized to complete publicize_image action.");
                return image with { Visibility = visibility };
            case "min_disk":
                return image with { MinDiskGb = Minimum(attribute, Value(operation)) };
            case "min_ram":
                return image with { MinRamMb = Minimum(attribute, Value(operation)) };
            case "disk_format" or "container_format":
                if (image.Status != ImageService.Queued)
                    throw new NovaException(403, $"Attribute {attribute} can be only replaced for a queued image.");
                return attribute == "disk_format"
                    ? image with { DiskFormat = ImageSchema.OneOf(attribute, String(attribute, Value(operation)), ImageSchema.DiskFormats)! }
                    : image with { ContainerFormat = ImageSchema.OneOf(attribute, String(attribute, Value(operation)), ImageSchema.ContainerFormats)! };
            case "tags":
                if (Value(operation) is not JsonArray tags) throw ImageSchema.Invalid("tags", $"{Text(operation.Value)} is not of type 'array'", "type");
                return image with { Tags = tags.Select(t => ImageSchema.Length("tags", String("tags", t))!).Distinct(StringComparer.Ordinal).ToList() };
            case "owner":
                if (!ctx.IsAdmin) throw new NovaException(403, "You are not authorized to change the owner of an image.");
                return image with { Owner = NullableString(attribute, Value(operation)) };
            case "protected" or "os_hidden":
                // Neither is kept (as on create): only the value every image has may be written.
                if (Value(operation) is JsonValue flag && flag.GetValueKind() == JsonValueKind.False) return image;
                throw new NovaException(400, $"{(attribute == "protected" ? "Protected" : "Hidden")} images are not supported by this cloud.");
            default:
                return Property(image, operation);
        }
    }

    private static Image Property(Image image, ImagePatchOperation operation)
    {
        var (op, key, _, _) = operation;
        var properties = new Dictionary<string, string>(image.Properties, StringComparer.Ordinal);
        var exists = properties.ContainsKey(key);
        if (op is "replace" or "remove" && !exists) throw new NovaException(409, $"Property {key} does not exist.");
        if (op == "remove")
            properties.Remove(key);
        else
        {
            ImageSchema.Length(key, key);
            properties[key] = ImageSchema.Length(key, String(key, operation.Value))!;
        }
        return image with { Properties = properties };
    }

    /// <summary>A base attribute is changed, never removed (Glance: 403).</summary>
    private static JsonNode? Value(ImagePatchOperation operation) => operation.Op == "remove"
        ? throw new NovaException(403, $"Attribute '{operation.Attribute}' is a base attribute of the image and cannot be removed.")
        : operation.Value;

    private static string String(string field, JsonNode? value) =>
        NullableString(field, value) ?? throw ImageSchema.Invalid(field, "None is not of type 'string'", "type");

    private static string? NullableString(string field, JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw ImageSchema.Invalid(field, $"{value.ToJsonString()} is not of type 'string'", "type"),
    };

    private static int Minimum(string field, JsonNode? value)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<int>(out var number))
            throw ImageSchema.Invalid(field, $"{Text(value)} is not of type 'integer'", "type");
        return number >= 0 ? number : throw ImageSchema.Invalid(field, $"{number} is less than the minimum of 0", "minimum");
    }

    private static string Text(JsonNode? value) => value?.ToJsonString() ?? "None";
}
