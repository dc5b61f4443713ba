namespace Cloud.Actors.Domain.Catalog;

/// <summary>A Glance-style image record. Properties carry scheduling hints such as hypervisor_type or architecture.</summary>
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
    DateTimeOffset CreatedAt)
{
    /// <summary>The image every fresh catalog starts with, so the seed's boot works out of the box.</summary>
    public static Image Cirros(DateTimeOffset at) => new(
        "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "cirros", "active", "qcow2", "bare", 13_287_936, 0, 0,
        new Dictionary<string, string>(), at);
}
