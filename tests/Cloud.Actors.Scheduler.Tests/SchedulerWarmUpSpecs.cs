using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit.Xunit2;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Scheduler.Filters;

namespace Cloud.Actors.Scheduler.Tests;

/// <summary>
/// A new scheduler (after a hand-over or a restart) places nothing until it knows the hosts' allocations: until every
/// compute member of the cluster has registered, or its warm-up has passed.
/// </summary>
public sealed class SchedulerWarmUpSpecs() : TestKit(SchedulerActorSpecs.UnjoinedClusterNode + "\nakka.cluster.roles = [compute]")
{
    private static readonly HostCapabilities Host = new("compute1", "compute1", "fake", 2, 1024, 10, "nova", true, new Dictionary<string, string>());
    private static SelectDestination Request() => new(Guid.NewGuid(), new Resources(1, 256, 1), null, new Dictionary<string, string>(), []);

    [Fact]
    public void Without_compute_members_placements_wait_for_the_warm_up()
    {
        var scheduler = Sys.ActorOf(SchedulerActor.Props(AllocationRatios.Default, warmUp: TimeSpan.FromSeconds(1)));
        scheduler.Tell(new RegisterHost(Host, new Dictionary<Guid, Resources>(), CreateTestProbe().Ref));

        scheduler.Tell(Request());

        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Equal("compute1", ExpectMsg<DestinationSelected>(TimeSpan.FromSeconds(3)).Host);
    }

    [Fact]
    public void Placements_start_as_soon_as_every_compute_member_has_registered()
    {
        var cluster = Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == MemberStatus.Up, TimeSpan.FromSeconds(10));
        var scheduler = Sys.ActorOf(SchedulerActor.Props(AllocationRatios.Default, warmUp: TimeSpan.FromMinutes(5)));
        scheduler.Tell(Request());
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // This node is the cluster's one compute member; a host of it registering is all the scheduler waits for.
        scheduler.Tell(new RegisterHost(Host, new Dictionary<Guid, Resources>(), CreateTestProbe().Ref));

        Assert.Equal("compute1", ExpectMsg<DestinationSelected>(TimeSpan.FromSeconds(3)).Host);
    }
}
