using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Scheduler.Filters;

/// <summary>One of Nova's scheduler filters: says whether a host can take the requested instance.</summary>
public interface IHostFilter
{
    string Name { get; }
    bool Passes(HostCandidate host, SelectDestination request);
}
