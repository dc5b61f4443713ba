using Akka.Cluster;

namespace Cloud.Actors.Node;

/// <summary>A member as one node sees it: its address, incarnation, status, and whether that node reaches it.</summary>
public sealed record ClusterMemberView(string Address, long Uid, string Status, bool Reachable);

/// <summary>The members one node knows (<c>GET /cluster/members</c> of its management endpoint).</summary>
public sealed record ClusterMembership(string Self, IReadOnlyList<ClusterMemberView> Members)
{
    public static ClusterMembership Of(Cluster cluster)
    {
        var state = cluster.State;
        return new ClusterMembership(cluster.SelfAddress.ToString(), state.Members
            .Select(m => new ClusterMemberView(m.Address.ToString(), m.UniqueAddress.Uid, m.Status.ToString(), !state.Unreachable.Contains(m)))
            .ToList());
    }
}
