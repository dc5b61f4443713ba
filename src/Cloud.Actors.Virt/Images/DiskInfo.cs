using System.Text.Json;

namespace Cloud.Actors.Virt.Images;

/// <summary>
/// An instance directory's disk.info: which format each of its disks has, so the disks are never
/// format-probed again (probing lets a raw guest disk pass itself off as qcow2). Nova's exact bytes:
/// {"/var/lib/nova/instances/&lt;uuid&gt;/disk": "qcow2"}.
/// </summary>
public static class DiskInfo
{
    public const string FileName = "disk.info";

    /// <summary>Writes &lt;dir&gt;/disk.info naming &lt;dir&gt;/disk (absolute) as <paramref name="diskFormat"/>.</summary>
    public static Task WriteAsync(string instanceDirectory, string diskFormat = "qcow2", CancellationToken ct = default)
    {
        var directory = Path.GetFullPath(instanceDirectory);
        var formats = new Dictionary<string, string> { [Path.Combine(directory, "disk")] = diskFormat };
        return File.WriteAllTextAsync(Path.Combine(directory, FileName), Serialize(formats), ct);
    }

    /// <summary>Disk path to format, as written by <see cref="WriteAsync"/> or by Nova.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(string instanceDirectory, CancellationToken ct = default)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(instanceDirectory, FileName), ct);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(text)
            ?? throw new FormatException($"{FileName} in {instanceDirectory} is not a JSON object");
    }

    /// <summary>
    /// The file's text in Python's json.dumps style, as Nova writes it: ", " and ": " separators and
    /// non-ASCII escaped. Each key and value is encoded by the JSON serializer; only the punctuation is ours.
    /// </summary>
    public static string Serialize(IReadOnlyDictionary<string, string> formatsByDiskPath) =>
        "{" + string.Join(", ", formatsByDiskPath.Select(entry => $"{JsonSerializer.Serialize(entry.Key)}: {JsonSerializer.Serialize(entry.Value)}")) + "}";
}
