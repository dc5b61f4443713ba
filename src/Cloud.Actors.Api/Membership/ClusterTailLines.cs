using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using static Akka.Cluster.ClusterEvent;

namespace Cloud.Actors.Api.Membership;

/// <summary>
/// The text of <c>cluster tail</c>: one line per event, <c>&lt;UTC time&gt;  &lt;event&gt;  &lt;details&gt;</c>, e.g.
/// <c>2026-12-07T16:01:02Z  unreachable  akka.tcp://cloud-actors@127.0.0.1:4054 (compute)</c>. The event is one
/// word (tailing first, then joined, up, weakly-up, leaving, exiting, unreachable, reachable, downed, removed,
/// leader-changed, role-leader-changed, singleton-moved, and ended last when this node's cluster stops),
/// so <c>grep</c> and <c>awk '{print $2}'</c> work on the stream.
/// </summary>
public static class ClusterTailLines
{
    // Two spaces between the fields: addresses and details never contain two in a row.
    private const string Separator = "  ";

    /// <summary>The first line: what this node sees as the tail starts, so the operator knows it is live.</summary>
    public static string Summary(DateTimeOffset at, Address self, CurrentClusterState state, string singletonRole, Member? singletonHost)
    {
        var members = state.Members.Union(state.Unreachable).ToList();
        return Line(at, "tailing",
            $"view of {self}: members {MemberText.CountByStatus(members)}, unreachable {state.Unreachable.Count}, " +
            $"leader {MemberText.Of(state.Leader)}, oldest {singletonRole} {MemberText.Of(singletonHost?.Address)}");
    }

    /// <summary>A member's status change, or null for a kind of member event this tail does not know.</summary>
    public static string? MemberChanged(DateTimeOffset at, IMemberEvent change) => change switch
    {
        MemberJoined e => Line(at, "joined", MemberText.Of(e.Member)),
        MemberWeaklyUp e => Line(at, "weakly-up", MemberText.Of(e.Member)),
        MemberUp e => Line(at, "up", MemberText.Of(e.Member)),
        MemberLeft e => Line(at, "leaving", MemberText.Of(e.Member)),
        MemberExited e => Line(at, "exiting", MemberText.Of(e.Member)),
        MemberDowned e => Line(at, "downed", MemberText.Of(e.Member)),
        // The status it had tells a graceful exit (Exiting) from a downed crash (Down).
        MemberRemoved e => Line(at, "removed", $"{MemberText.Of(e.Member)} (was {e.PreviousStatus})"),
        _ => null,
    };

    public static string Unreachable(DateTimeOffset at, Member member) => Line(at, "unreachable", MemberText.Of(member));

    public static string Reachable(DateTimeOffset at, Member member) => Line(at, "reachable", MemberText.Of(member));

    public static string LeaderChanged(DateTimeOffset at, Address? from, Address? to) =>
        Line(at, "leader-changed", $"from {MemberText.Of(from)} to {MemberText.Of(to)}");

    public static string RoleLeaderChanged(DateTimeOffset at, string role, Address? from, Address? to) =>
        Line(at, "role-leader-changed", $"{role} from {MemberText.Of(from)} to {MemberText.Of(to)}");

    /// <summary>The oldest member with the singletons' role changed: the singletons move (or stop, or start).</summary>
    public static string SingletonMoved(DateTimeOffset at, string role, Member? from, Member? to) =>
        Line(at, "singleton-moved", $"{role} singletons from {MemberText.Of(from?.Address)} to {MemberText.Of(to?.Address)}");

    /// <summary>The last line when the tail ends without being interrupted: this node left the cluster, was
    /// downed, or is shutting down, and will see no more changes.</summary>
    public static string Ended(DateTimeOffset at, Address self) =>
        Line(at, "ended", $"{self} is out of the cluster or shutting down; nothing more to tail");

    private static string Line(DateTimeOffset at, string what, string details) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + Separator + what + Separator + details + "\n";
}
