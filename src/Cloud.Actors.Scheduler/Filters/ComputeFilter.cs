using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Scheduler.Filters;

/// <summary>Only hosts whose compute service is up and enabled.</summary>
public sealed class ComputeFilter : IHostFilter
{
    public string Name => "ComputeFilter";
    public bool Passes(HostCandidate host, SelectDestination request) => host.Up && host.Capabilities.Enabled;
}
