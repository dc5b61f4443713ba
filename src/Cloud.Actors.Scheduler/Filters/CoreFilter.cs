using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Scheduler.Filters;

/// <summary>Enough vCPUs left, counting the CPU allocation ratio.</summary>
public sealed class CoreFilter(AllocationRatios ratios) : IHostFilter
{
    public string Name => "CoreFilter";

    public bool Passes(HostCandidate host, SelectDestination request) =>
        host.Capabilities.Vcpus * ratios.Cpu - host.Used.Vcpus >= request.Requested.Vcpus;
}
