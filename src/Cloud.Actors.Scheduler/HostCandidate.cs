using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;

namespace Cloud.Actors.Scheduler;

/// <summary>A host as the filters and weighers see it at one moment: what it has, what is used, whether it is up.</summary>
public sealed record HostCandidate(HostCapabilities Capabilities, Resources Used, bool Up)
{
    public string Host => Capabilities.Host;
}
