using Akka.Configuration;
using Akka.Configuration.Hocon;
using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Controller.Images;

/// <summary>One entry of <c>cloud-actors.images.seed</c>: an image file the controller imports and registers at start.</summary>
public sealed record ImageSeed(
    string Id,
    string Name,
    string File,
    string DiskFormat,
    string ContainerFormat,
    int MinDiskGb,
    int MinRamMb,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>The disk formats a compute host's cache can turn into a raw base file.</summary>
    public static readonly IReadOnlySet<string> DiskFormats = new HashSet<string>(StringComparer.Ordinal) { "raw", "qcow2", "aki", "ari" };

    /// <summary>Reads the seed list; throws <see cref="ArgumentException"/> naming the entry when one is not usable.</summary>
    public static IReadOnlyList<ImageSeed> FromConfig(Config images)
    {
        if (!images.HasPath("seed")) return [];
        var seeds = new List<ImageSeed>();
        foreach (var value in images.GetValue("seed").GetArray())
        {
            var entry = new Config(new HoconRoot(value));
            var id = entry.GetString("id", "");
            string Where() => $"cloud-actors.images.seed entry '{id}'";
            if (!ImageId.IsValid(id)) throw new ArgumentException($"{Where()}: id must be a UUID or [A-Za-z0-9_-]{{1,64}}");
            var file = entry.GetString("file", "");
            if (!Path.IsPathFullyQualified(file)) throw new ArgumentException($"{Where()}: file '{file}' must be an absolute path");
            var diskFormat = entry.GetString("disk-format", "raw");
            if (!DiskFormats.Contains(diskFormat))
                throw new ArgumentException($"{Where()}: disk-format '{diskFormat}' is not one of {string.Join(", ", DiskFormats)}");
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            if (entry.HasPath("properties"))
                foreach (var (key, property) in entry.GetConfig("properties").AsEnumerable())
                    properties[key] = property.GetString();
            seeds.Add(new ImageSeed(id, entry.GetString("name", id), file, diskFormat, entry.GetString("container-format", "bare"),
                entry.GetInt("min-disk", 0), entry.GetInt("min-ram", 0), properties));
        }

        return seeds;
    }
}
