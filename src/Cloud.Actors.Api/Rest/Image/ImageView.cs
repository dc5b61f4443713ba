using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>Glance's image schema as the clients read it: its fixed fields, then the image's own properties at the top level.</summary>
public static class ImageView
{
    public static JsonObject Of(Domain.Catalog.Image i)
    {
        var created = i.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        // A queued image has no data yet: Glance shows its size as null, not 0.
        var hasData = i.Status != Application.ImageService.Queued;
        var view = new JsonObject
        {
            ["id"] = i.Id,
            ["name"] = i.Name.Length == 0 ? null : i.Name,
            ["status"] = i.Status,
            ["visibility"] = i.Visibility,
            ["protected"] = false,
            ["os_hidden"] = false,
            ["checksum"] = i.Checksum,
            ["os_hash_algo"] = null,
            ["os_hash_value"] = null,
            ["owner"] = i.Owner,
            ["min_disk"] = i.MinDiskGb,
            ["min_ram"] = i.MinRamMb,
            ["disk_format"] = i.DiskFormat.Length == 0 ? null : i.DiskFormat,
            ["container_format"] = i.ContainerFormat.Length == 0 ? null : i.ContainerFormat,
            ["size"] = hasData ? i.SizeBytes : null,
            ["virtual_size"] = null,
            ["tags"] = new JsonArray(i.Tags.Select(t => (JsonNode?)t).ToArray()),
            ["created_at"] = created,
            ["updated_at"] = created,
            ["self"] = $"/v2/images/{i.Id}",
            ["file"] = $"/v2/images/{i.Id}/file",
            ["schema"] = "/v2/schemas/image",
        };
        foreach (var (key, value) in i.Properties)
            if (!view.ContainsKey(key)) view[key] = value;
        return view;
    }
}
