namespace Cloud.Actors.Api.Application;

/// <summary>
/// What a caller asks for in Glance's image create, already typed: everything optional as in Glance's schema
/// (an image may be created empty and described later). <see cref="ImageService.Create"/> checks the values.
/// </summary>
public sealed record ImageCreation
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? DiskFormat { get; init; }
    public string? ContainerFormat { get; init; }
    public int MinDiskGb { get; init; }
    public int MinRamMb { get; init; }
    public string? Visibility { get; init; }
    public string? Owner { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
