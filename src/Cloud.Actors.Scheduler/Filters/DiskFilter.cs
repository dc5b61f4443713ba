using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Scheduler.Filters;

/// <summary>Enough local disk left, counting the disk allocation ratio.</summary>
public sealed class DiskFilter(AllocationRatios ratios) : IHostFilter
{
    public string Name => "DiskFilter";

    public bool Passes(HostCandidate host, SelectDestination request) =>
        host.Capabilities.DiskGb * ratios.Disk - host.Used.DiskGb >= request.Requested.DiskGb;
}
