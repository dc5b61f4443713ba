using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Scheduler.Filters;
using Cloud.Actors.Scheduler.Weighers;

namespace Cloud.Actors.Scheduler;

/// <summary>
/// Nova's FilterScheduler as a pure function: run every filter, weigh the survivors, return the best host
/// and up to <see cref="MaxAlternates"/> alternates. Holds no state; the SchedulerActor claims the result.
/// </summary>
public sealed class HostSelector
{
    /// <summary>Nova's scheduler.max_attempts is 3: one host plus two alternates.</summary>
    public const int MaxAttempts = 3;
    public const int MaxAlternates = MaxAttempts - 1;

    private readonly IReadOnlyList<IHostFilter> _filters;
    private readonly RamWeigher _weigher;

    public HostSelector(AllocationRatios ratios)
    {
        _filters =
        [
            new ComputeFilter(), new AvailabilityZoneFilter(), new RamFilter(ratios), new DiskFilter(ratios),
            new CoreFilter(ratios), new ImagePropertiesFilter(),
        ];
        _weigher = new RamWeigher(ratios);
    }

    public IReadOnlyList<IHostFilter> Filters => _filters;

    /// <summary>The hosts that pass every filter, best first; or, when none does, the filter that emptied the list.</summary>
    public Selection Select(IEnumerable<HostCandidate> candidates, SelectDestination request)
    {
        var remaining = candidates.Where(c => !request.ExcludedHosts.Contains(c.Host)).ToList();
        if (remaining.Count == 0) return new Selection([], "no compute hosts are registered or all were tried");
        foreach (var filter in _filters)
        {
            remaining = remaining.Where(h => filter.Passes(h, request)).ToList();
            if (remaining.Count == 0) return new Selection([], $"Filter {filter.Name} returned 0 hosts");
        }
        var ranked = remaining
            .OrderByDescending(_weigher.Weigh)
            .ThenBy(h => h.Host, StringComparer.Ordinal)
            .Take(1 + MaxAlternates)
            .ToList();
        return new Selection(ranked, null);
    }

    public sealed record Selection(IReadOnlyList<HostCandidate> Ranked, string? Reason)
    {
        public HostCandidate? Best => Ranked.Count > 0 ? Ranked[0] : null;
        public IReadOnlyList<string> Alternates => Ranked.Skip(1).Select(h => h.Host).ToList();
    }
}
