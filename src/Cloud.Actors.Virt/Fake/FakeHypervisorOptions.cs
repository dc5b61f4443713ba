namespace Cloud.Actors.Virt.Fake;

/// <summary>How the fake hypervisor behaves: its size, its latency, and where it keeps its guests.</summary>
public sealed record FakeHypervisorOptions
{
    public string Hostname { get; init; } = "fake";
    public int Vcpus { get; init; } = 8;
    public long MemoryMb { get; init; } = 32768;
    public long DiskGb { get; init; } = 500;

    /// <summary>Time each operation takes, to make scheduling and timeouts visible.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// A JSON file holding the defined guests, so they outlive a compute process restart as libvirt's do.
    /// Null keeps everything in memory.
    /// </summary>
    public string? StatePath { get; init; }
}
