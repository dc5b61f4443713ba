using System.Diagnostics;
using System.Net.Http.Json;
using Akka.Event;

namespace Cloud.Actors.Node;

/// <summary>
/// Before a node joins: waits until no contact point lists an earlier incarnation of its own address as a member.
/// A node killed with SIGKILL and started again at once (systemd, <c>cluster.sh up</c>) finds its old self still in
/// the cluster, unreachable and not yet downed. Akka is meant to remove it when the new one joins, but with classic
/// remoting the new incarnation's association, made while the old one's removal is pending, is dropped when the
/// cluster quarantines the old uid: every answer to the new node is lost from then on, and it never joins (seen here:
/// InitJoin acknowledged every 5 s for minutes, never received). Joining after the old incarnation is removed (the
/// split-brain resolver downs it ~6 s after the kill) gives a clean association.
/// </summary>
public static class PreviousIncarnation
{
    /// <summary>How long at most to wait: a cluster that cannot remove the old member (no leader) is joined anyway.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(60);

    public static async Task WaitUntilGoneAsync(NodeSettings settings, string selfAddress, ILoggingAdapter log, CancellationToken ct = default)
    {
        var own = $"{settings.ManagementHost}:{settings.ManagementPort}";
        var others = settings.ContactPoints.Where(c => c != own).ToList();
        if (others.Count == 0) return;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        TimeSpan? lastSaid = null;
        while (clock.Elapsed < Longest)
        {
            var seen = await SeenAsync(http, others, selfAddress, ct);
            if (seen is null)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(1))
                    log.Info("The previous incarnation of {0} has left the cluster after {1:0.0} s: joining", selfAddress, clock.Elapsed.TotalSeconds);
                return;
            }
            if (lastSaid is null || clock.Elapsed - lastSaid >= TimeSpan.FromSeconds(5))
            {
                log.Info("Waiting before joining: {0} still lists a previous incarnation of {1} (uid {2}, {3}, {4}) until the cluster removes it",
                    seen.Value.ContactPoint, selfAddress, seen.Value.Member.Uid, seen.Value.Member.Status, seen.Value.Member.Reachable ? "reachable" : "unreachable");
                lastSaid = clock.Elapsed;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
        log.Warning("A previous incarnation of {0} is still listed after {1:0} s: joining anyway", selfAddress, Longest.TotalSeconds);
    }

    /// <summary>The first contact point that lists <paramref name="selfAddress"/> as a member; contact points that do not answer list nothing.</summary>
    private static async Task<(string ContactPoint, ClusterMemberView Member)?> SeenAsync(HttpClient http, IEnumerable<string> contactPoints,
        string selfAddress, CancellationToken ct)
    {
        foreach (var contactPoint in contactPoints)
        {
            try
            {
                var membership = await http.GetFromJsonAsync<ClusterMembership>($"http://{contactPoint}/cluster/members", ct);
                if (membership?.Members.FirstOrDefault(m => m.Address == selfAddress) is { } member) return (contactPoint, member);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // Not running (yet), or not answering: it lists nothing.
            }
        }
        return null;
    }
}
