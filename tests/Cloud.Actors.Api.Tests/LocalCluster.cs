using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace Cloud.Actors.Api.Tests;

/// <summary>
/// Actor systems in this process on 127.0.0.1 (random ports), joined one at a time, so each member is older
/// than the next: the first joined is the oldest, as the singletons see it. Nothing downs a member by itself;
/// a spec does it with <see cref="Cluster.Down"/>.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<ActorSystem> _nodes = [];
    private readonly List<ActorSystem> _members = [];

    /// <summary>A node with <paramref name="roles"/>, not yet joined.</summary>
    /// <remarks>
    /// Terminating one is a crash, not a leave (ActorSystem.Terminate runs no coordinated shutdown), so specs
    /// can make a member unreachable; no downing provider, so only the spec downs it.
    /// </remarks>
    public ActorSystem Create(params string[] roles)
    {
        var config = ConfigurationFactory.ParseString(
            $$"""
            akka.loglevel = ERROR
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = 0
            akka.cluster.roles = [{{string.Join(",", roles)}}]
            akka.cluster.downing-provider-class = ""
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            akka.coordinated-shutdown.exit-clr = off
            """);
        var node = ActorSystem.Create("cloud-actors", config);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Joins <paramref name="node"/> (the first one joins itself) and waits until every member sees it Up.</summary>
    public async Task JoinAsync(ActorSystem node)
    {
        var seed = _members.Count == 0 ? node : _members[0];
        Cluster.Get(node).Join(Cluster.Get(seed).SelfAddress);
        _members.Add(node);
        var address = Cluster.Get(node).SelfAddress;
        await Until(
            () => _members.All(m => Cluster.Get(m).State.Members.Any(x => x.Address.Equals(address) && x.Status == MemberStatus.Up)),
            $"{address} Up in every member's view");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, for at most <see cref="Timeout"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never: {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes)) await node.Terminate();
    }
}
