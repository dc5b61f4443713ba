namespace Cloud.Actors.Scheduler.Weighers;

/// <summary>Nova's RAMWeigher with a positive multiplier: the host with the most free RAM wins, spreading instances.</summary>
public sealed class RamWeigher(Filters.AllocationRatios ratios)
{
    public double Weigh(HostCandidate host) => host.Capabilities.MemoryMb * ratios.Ram - host.Used.MemoryMb;
}
