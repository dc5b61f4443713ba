using Akka.Cluster;

namespace Cloud.Actors.Api.Membership;

/// <summary>
/// Where the cluster singletons of a role (the scheduler, the directory: role <c>controller</c>) run in a view
/// of the members: on the oldest member with that role, as <c>ClusterSingletonManager</c> picks it.
/// </summary>
public static class SingletonHost
{
    /// <summary>
    /// The oldest member with <paramref name="role"/> that is Up, Leaving or Down; null when there is none
    /// (no such member is Up yet: the singletons are not running).
    /// </summary>
    /// <remarks>
    /// A Leaving or Down member is still the host: the manager hands the singletons over when the member
    /// exits or is removed, not when it starts leaving, so this is where they actually are. Joining and
    /// WeaklyUp members never host them. (The manager goes by the member's up number, which Akka does not
    /// make public; a member that left or was downed while still Joining counts here, but it is never older
    /// than one that got Up, so it only shows when no member with the role ever got Up.)
    /// </remarks>
    public static Member? Of(IEnumerable<Member> members, string role) =>
        members
            .Where(m => m.HasRole(role) && m.Status is (MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Down))
            .Order(Member.AgeOrdering)
            .FirstOrDefault();
}
