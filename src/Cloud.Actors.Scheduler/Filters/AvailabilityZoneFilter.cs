using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Scheduler.Filters;

/// <summary>When the request names an availability zone, only hosts in it.</summary>
public sealed class AvailabilityZoneFilter : IHostFilter
{
    public string Name => "AvailabilityZoneFilter";

    public bool Passes(HostCandidate host, SelectDestination request) =>
        string.IsNullOrEmpty(request.AvailabilityZone)
        || string.Equals(request.AvailabilityZone, host.Capabilities.AvailabilityZone, StringComparison.Ordinal);
}
