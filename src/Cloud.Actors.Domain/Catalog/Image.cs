namespace Cloud.Actors.Domain.Catalog;

/// <summary>
/// A Glance-style image record. Properties carry scheduling hints such as hypervisor_type or architecture, and
/// kernel_id / ramdisk_id / os_command_line for images booted with a separate kernel. Checksum is Glance's
/// <c>checksum</c>: the md5 (lower-case hex) of the bytes, null while the image has no data. Owner (a project id, null
/// for the cloud's own images) and Visibility (public, private, shared, community) are Glance's; they trail with
/// defaults so records journaled before they existed read back as the public, unowned images they were.
/// </summary>
public sealed record Image(
    string Id,
    string Name,
    string Status,
    string DiskFormat,
    string ContainerFormat,
    long SizeBytes,
    int MinDiskGb,
    int MinRamMb,
    IReadOnlyDictionary<string, string> Properties,
    DateTimeOffset CreatedAt,
    string? Checksum = null,
    string? Owner = null,
    string Visibility = Image.Public)
{
    public const string Public = "public";
    public const string Private = "private";
    public const string Shared = "shared";
    public const string Community = "community";

    /// <summary>Glance's four visibilities, in its schema's order.</summary>
    public static readonly IReadOnlyList<string> Visibilities = [Public, Private, Shared, Community];

    // A serializer may hand null for a parameter missing from an old event rather than its default: normalised here.
    public string Visibility { get; init; } = Visibility ?? Public;

    /// <summary>
    /// Glance's rule for who may see (and boot) an image: everyone a public or community one, its owner project a
    /// private or shared one, an admin any.
    /// </summary>
    public bool VisibleTo(string projectId, bool isAdmin) =>
        isAdmin || Visibility is Public or Community || (Owner is not null && Owner == projectId);

    /// <summary>Glance's tags: not positional, so a record without them reads back with none.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public const string CirrosId = "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed";

    /// <summary>The image every fresh catalog starts with, so the seed's boot works out of the box.</summary>
    public static Image Cirros(DateTimeOffset at) => new(
        CirrosId, "cirros", "active", "qcow2", "bare", 13_287_936, 0, 0,
        new Dictionary<string, string>(), at);

    /// <summary>Whether two records describe the same image the same way (CreatedAt aside), so a re-seed changes nothing.</summary>
    public bool SameContentAs(Image other) =>
        Id == other.Id && Name == other.Name && Status == other.Status && DiskFormat == other.DiskFormat
        && ContainerFormat == other.ContainerFormat && SizeBytes == other.SizeBytes && MinDiskGb == other.MinDiskGb
        && MinRamMb == other.MinRamMb && Checksum == other.Checksum && Owner == other.Owner && Visibility == other.Visibility
        && Tags.SequenceEqual(other.Tags)
        && Properties.Count == other.Properties.Count
        && Properties.All(p => other.Properties.TryGetValue(p.Key, out var v) && v == p.Value);
}
