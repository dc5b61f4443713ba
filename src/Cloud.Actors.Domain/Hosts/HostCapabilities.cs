namespace Cloud.Actors.Domain.Hosts;

/// <summary>What a compute host registers with the scheduler: its size, zone and traits.</summary>
public sealed record HostCapabilities(
    string Host,
    string HypervisorHostname,
    string HypervisorType,
    int Vcpus,
    long MemoryMb,
    long DiskGb,
    string AvailabilityZone,
    bool Enabled,
    IReadOnlyDictionary<string, string> Properties)
{
    public Catalog.Resources Total => new(Vcpus, MemoryMb, DiskGb);
}
