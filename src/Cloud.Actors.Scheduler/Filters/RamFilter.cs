using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Scheduler.Filters;

/// <summary>Enough memory left, counting the RAM allocation ratio.</summary>
public sealed class RamFilter(AllocationRatios ratios) : IHostFilter
{
    public string Name => "RamFilter";

    public bool Passes(HostCandidate host, SelectDestination request) =>
        host.Capabilities.MemoryMb * ratios.Ram - host.Used.MemoryMb >= request.Requested.MemoryMb;
}
