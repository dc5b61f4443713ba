using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace Cloud.Actors.Api.Tests;

/// <summary>A one-member cluster on an ephemeral loopback port, Up and its own leader, with role <c>controller</c>
/// (so it also hosts the singletons).</summary>
public sealed class SingleNodeCluster : IAsyncLifetime
{
    private static readonly Config Config = ConfigurationFactory.ParseString(
        """
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.cluster.min-nr-of-members = 1
        akka.cluster.roles = [controller]
        akka.coordinated-shutdown.exit-clr = off
        """);

    public ActorSystem System { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        System = ActorSystem.Create("shell-specs", Config);
        var cluster = Cluster.Get(System);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(15));
        // Leadership is gossiped right after Up; wait until this node's own view says so.
        while (cluster.State.Leader != cluster.SelfAddress)
            await Task.Delay(20);
    }

    public Task DisposeAsync() => System.Terminate();
}
