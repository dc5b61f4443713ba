namespace Cloud.Actors.Domain.Catalog;

/// <summary>A Nova flavor: the size of an instance.</summary>
public sealed record Flavor(string Id, string Name, int MemoryMb, int Vcpus, int RootGb, int EphemeralGb = 0, int SwapMb = 0)
{
    public Resources Resources => new(Vcpus, MemoryMb, RootGb + EphemeralGb);

    /// <summary>Nova's classic five flavors.</summary>
    public static readonly IReadOnlyList<Flavor> Classic =
    [
        new("1", "m1.tiny", 512, 1, 1),
        new("2", "m1.small", 2048, 1, 20),
        new("3", "m1.medium", 4096, 2, 40),
        new("4", "m1.large", 8192, 4, 80),
        new("5", "m1.xlarge", 16384, 8, 160),
    ];
}
