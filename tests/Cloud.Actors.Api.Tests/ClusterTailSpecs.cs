using Akka.Actor;
using Akka.Cluster;
using Cloud.Actors.Api.Membership;

namespace Cloud.Actors.Api.Tests;

/// <summary>
/// `cluster tail` over a real shell endpoint, on clusters of actor systems in this process: two controllers
/// (the older one runs the singletons) and a compute node, whose shell is tailed.
/// </summary>
public sealed class ClusterTailSpecs
{
    [Fact]
    public async Task Starts_with_the_current_state_then_streams_the_oldest_controller_leaving_and_the_singletons_moving()
    {
        await using var cluster = new LocalCluster();
        var (oldest, next, compute) = await ControllersAndCompute(cluster);
        var (a, b, c) = (Address(oldest), Address(next), Address(compute));
        await using var shell = await ClusterShell.StartAsync(compute);
        await using var client = await shell.ConnectAsync();
        await client.SendAsync("cluster", "tail");
        var tail = new ClusterTailReader(client);

        var first = await tail.NextAsync();
        var leader = Lowest(a, b, c);
        Assert.Equal(("tailing", $"view of {c}: members 3 (3 Up), unreachable 0, leader {leader}, oldest controller {a}"), first);
        Assert.InRange(tail.TimeOf(0), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        Cluster.Get(oldest).Leave(a);

        await tail.WaitFor("removed", $"{a} (controller) (was Exiting)");
        var leaving = tail.IndexOf("leaving", $"{a} (controller)");
        var exiting = tail.IndexOf("exiting", $"{a} (controller)");
        Assert.True(leaving >= 0 && exiting > leaving, $"leaving, then exiting, then removed:\n{tail}");
        // The singletons move when the old host exits, not when it starts leaving.
        Assert.True(tail.IndexOf("singleton-moved", $"controller singletons from {a} to {b}") > exiting, $"moved on exiting:\n{tail}");
        // Leaders go by address: `a` is the lower of the two controllers, so it led their role.
        await tail.WaitFor("role-leader-changed", $"controller from {a} to {b}");
        if (leader.Equals(a))
            await tail.WaitFor("leader-changed", $"from {a} to {Lowest(b, c)}");
    }

    [Fact]
    public async Task Streams_a_crashed_oldest_controller_going_unreachable_then_downed_and_removed()
    {
        await using var cluster = new LocalCluster();
        var (oldest, next, compute) = await ControllersAndCompute(cluster);
        var (a, b) = (Address(oldest), Address(next));
        await using var shell = await ClusterShell.StartAsync(compute);
        await using var client = await shell.ConnectAsync();
        await client.SendAsync("cluster", "tail");
        var tail = new ClusterTailReader(client);
        await tail.NextAsync();

        await oldest.Terminate();
        await tail.WaitFor("unreachable", $"{a} (controller)");
        // Unreachable, the member cannot lead any more, but it still holds the singletons until it is removed.
        await tail.WaitFor("role-leader-changed", $"controller from {a} to {b}");
        Assert.Equal(-1, tail.IndexOf("singleton-moved", $"controller singletons from {a} to {b}"));
        Cluster.Get(compute).Down(a);

        await tail.WaitFor("singleton-moved", $"controller singletons from {a} to {b}");
        var downed = tail.IndexOf("downed", $"{a} (controller)");
        var removed = tail.IndexOf("removed", $"{a} (controller) (was Down)");
        var moved = tail.IndexOf("singleton-moved", $"controller singletons from {a} to {b}");
        Assert.True(downed >= 0 && removed > downed && moved > removed, $"downed, removed, then the singletons moved:\n{tail}");
    }

    [Fact]
    public async Task The_tail_actor_stops_when_the_client_disconnects()
    {
        await using var cluster = new LocalCluster();
        var node = cluster.Create("controller");
        await cluster.JoinAsync(node);
        await using var shell = await ClusterShell.StartAsync(node);
        var client = await shell.ConnectAsync();
        await client.SendAsync("cluster", "tail");
        await new ClusterTailReader(client).NextAsync();
        var identity = await node.ActorSelection($"/user/{ClusterTail.NamePrefix}*")
            .Ask<ActorIdentity>(new Identify(null), LocalCluster.Timeout);
        var stopped = identity.Subject!.WatchAsync();
        Assert.False(stopped.IsCompleted, "the tail runs while its client is connected");

        await client.DisposeAsync();

        Assert.True(await stopped.WaitAsync(LocalCluster.Timeout));
    }

    [Fact]
    public async Task The_tail_ends_with_exit_code_0_when_this_node_leaves_the_cluster()
    {
        await using var cluster = new LocalCluster();
        var node = cluster.Create("controller");
        await cluster.JoinAsync(node);
        var self = Address(node);
        await using var shell = await ClusterShell.StartAsync(node);
        await using var client = await shell.ConnectAsync();
        await client.SendAsync("cluster", "tail");
        var tail = new ClusterTailReader(client);
        await tail.NextAsync();

        Cluster.Get(node).Leave(self);

        var ended = ("ended", $"{self} is out of the cluster or shutting down; nothing more to tail");
        await tail.WaitFor(ended.Item1, ended.Item2);
        Assert.True(tail.IndexOf("leaving", $"{self} (controller)") >= 0, $"leaving first:\n{tail}");
        Assert.Equal(ended, tail.Events[^1]);
        Assert.Equal(new CommandResult(0, "", ""), await client.ReadResultAsync());
    }

    /// <summary>
    /// Two controllers and a compute node, joined in that order; the controller with the lower address joins
    /// first, so the oldest controller (the singletons' host) is also the leader of the controller role.
    /// </summary>
    private static async Task<(ActorSystem Oldest, ActorSystem Next, ActorSystem Compute)> ControllersAndCompute(LocalCluster cluster)
    {
        var controllers = new[] { cluster.Create("controller"), cluster.Create("controller") }
            .OrderBy(Address, Member.AddressOrdering)
            .ToArray();
        var compute = cluster.Create("compute");
        foreach (var node in controllers.Append(compute)) await cluster.JoinAsync(node);
        var leader = Lowest(Address(controllers[0]), Address(controllers[1]), Address(compute));
        await LocalCluster.Until(() => Equals(Cluster.Get(compute).State.Leader, leader), $"{leader} leads in the compute's view");
        return (controllers[0], controllers[1], compute);
    }

    private static Address Address(ActorSystem node) => Cluster.Get(node).SelfAddress;

    // The cluster's leader is the reachable Up member with the lowest address.
    private static Address Lowest(params Address[] addresses) => addresses.Order(Member.AddressOrdering).First();
}
