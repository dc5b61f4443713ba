using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using static Akka.Cluster.ClusterEvent;

namespace Cloud.Actors.Api.Membership;

/// <summary>
/// The node's end of <c>cluster tail</c>: a short-lived actor subscribed to this node's membership and
/// reachability events (Akka.Cluster's own subscription, the current state first as a snapshot) that writes
/// one line per event (<see cref="ClusterTailLines"/>) into a channel the shell command reads. It also keeps
/// the members it has seen, to tell when the oldest member with the singletons' role changes: the events say
/// who changed, not that the singletons moved. Stopping it unsubscribes and completes the channel; it stops by
/// itself when this node's cluster shuts down (it left or was downed), and with the actor system.
/// </summary>
public sealed class ClusterTail : ReceiveActor
{
    /// <summary>Every tail actor's name starts so: <c>actor hierarchy</c> shows who is tailing, and specs find them.</summary>
    public const string NamePrefix = "cluster-tail-";

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly string _singletonRole;
    private readonly ChannelWriter<string> _output;
    // By unique address, replaced on every event: Member equality is the address alone, so a set or an
    // immutable dictionary's SetItem would keep the member's old status.
    private readonly Dictionary<UniqueAddress, Member> _members = [];
    private Address? _leader;
    private readonly Dictionary<string, Address?> _roleLeaders = [];
    private Member? _singletonHost;

    public ClusterTail(string singletonRole, ChannelWriter<string> output)
    {
        _singletonRole = singletonRole;
        _output = output;

        Receive<CurrentClusterState>(state =>
        {
            foreach (var member in state.Members) _members[member.UniqueAddress] = member;
            _leader = state.Leader;
            foreach (var role in state.AllRoles) _roleLeaders[role] = state.RoleLeader(role);
            _singletonHost = SingletonHost.Of(_members.Values, _singletonRole);
            Write(ClusterTailLines.Summary(Now, _cluster.SelfAddress, state, _singletonRole, _singletonHost));
        });
        Receive<IMemberEvent>(change =>
        {
            if (ClusterTailLines.MemberChanged(Now, change) is { } line) Write(line);
            if (change is MemberRemoved) _members.Remove(change.Member.UniqueAddress);
            else _members[change.Member.UniqueAddress] = change.Member;
            var host = SingletonHost.Of(_members.Values, _singletonRole);
            if (!Equals(host, _singletonHost))
                Write(ClusterTailLines.SingletonMoved(Now, _singletonRole, _singletonHost, host));
            _singletonHost = host;
        });
        Receive<UnreachableMember>(e => Write(ClusterTailLines.Unreachable(Now, e.Member)));
        Receive<ReachableMember>(e => Write(ClusterTailLines.Reachable(Now, e.Member)));
        Receive<LeaderChanged>(e =>
        {
            Write(ClusterTailLines.LeaderChanged(Now, _leader, e.Leader));
            _leader = e.Leader;
        });
        Receive<RoleLeaderChanged>(e =>
        {
            Write(ClusterTailLines.RoleLeaderChanged(Now, e.Role, _roleLeaders.GetValueOrDefault(e.Role), e.Leader));
            _roleLeaders[e.Role] = e.Leader;
        });
        // Published as this node's cluster stops, followed by a "removed" for every member it knew, which
        // would read as if the whole cluster went away; the tail ends here instead.
        Receive<ClusterShuttingDown>(_ => Context.Stop(Self));
    }

    public static Props Props(string singletonRole, ChannelWriter<string> output) =>
        Akka.Actor.Props.Create(() => new ClusterTail(singletonRole, output));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(IMemberEvent), typeof(IReachabilityEvent), typeof(LeaderChanged), typeof(RoleLeaderChanged),
            typeof(ClusterShuttingDown));

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _output.TryComplete();
    }

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private void Write(string line) => _output.TryWrite(line);
}
