namespace Cloud.Actors.Domain.Hosts;

/// <summary>
/// What a compute host registers with the scheduler: its size, zone and traits, and whether its nova-compute
/// service is enabled (an operator's <c>openstack compute service set --disable</c>, kept in the host's journal),
/// with the reason given.
/// </summary>
public sealed record HostCapabilities(
    string Host,
    string HypervisorHostname,
    string HypervisorType,
    int Vcpus,
    long MemoryMb,
    long DiskGb,
    string AvailabilityZone,
    bool Enabled,
    IReadOnlyDictionary<string, string> Properties,
    string? DisabledReason = null)
{
    public Catalog.Resources Total => new(Vcpus, MemoryMb, DiskGb);
}
