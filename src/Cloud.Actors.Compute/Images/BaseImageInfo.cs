using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloud.Actors.Compute.Images;

/// <summary>
/// _base/&lt;sha1&gt;.info (as Nova's image cache once kept): which image a base file was fetched from and that image's
/// properties, so a base fetched by an earlier process still answers with them. Written before the base is renamed
/// into place, so a base file always has its info beside it.
/// </summary>
public sealed record BaseImageInfo(
    [property: JsonPropertyName("image_id")] string ImageId,
    [property: JsonPropertyName("disk_format")] string DiskFormat,
    [property: JsonPropertyName("checksum")] string? Checksum,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string> Properties)
{
    public const string Suffix = ".info";

    public static BaseImageInfo? Read(string basePath)
    {
        try
        {
            return JsonSerializer.Deserialize<BaseImageInfo>(File.ReadAllBytes(basePath + Suffix));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public void Write(string basePath)
    {
        var partial = basePath + Suffix + ".part";
        File.WriteAllBytes(partial, JsonSerializer.SerializeToUtf8Bytes(this));
        File.Move(partial, basePath + Suffix, overwrite: true);
    }
}
