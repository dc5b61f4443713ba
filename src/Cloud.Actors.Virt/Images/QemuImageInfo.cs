using System.Text.Json;

namespace Cloud.Actors.Virt.Images;

/// <summary>What <c>qemu-img info --output=json</c> says about one image file (the top of its chain).</summary>
public sealed record QemuImageInfo(
    string Filename,
    string Format,
    long VirtualSize,
    long? ActualSize,
    long? ClusterSize,
    string? BackingFilename,
    string? FullBackingFilename,
    string? BackingFilenameFormat)
{
    /// <summary>Reads qemu-img's JSON; throws <see cref="FormatException"/> when a required field is missing.</summary>
    public static QemuImageInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new QemuImageInfo(
            Filename: RequiredString(root, "filename"),
            Format: RequiredString(root, "format"),
            VirtualSize: Number(root, "virtual-size") ?? throw new FormatException("qemu-img info gave no virtual-size"),
            ActualSize: Number(root, "actual-size"),
            ClusterSize: Number(root, "cluster-size"),
            BackingFilename: String(root, "backing-filename"),
            FullBackingFilename: String(root, "full-backing-filename"),
            BackingFilenameFormat: String(root, "backing-filename-format"));
    }

    private static string RequiredString(JsonElement root, string name) =>
        String(root, name) ?? throw new FormatException($"qemu-img info gave no {name}");

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
