using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Node;

namespace Cloud.Actors.Bench;

/// <summary>
/// One in-process cloud (<see cref="InProcessCloud"/>: composed as a node is) with <c>hosts</c> fake compute hosts,
/// journaled to a fresh SQLite file. Boots go through the same NovaService the shell uses and are timed to ACTIVE.
/// </summary>
public sealed class BootBench : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, long> _activeAt = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> _waiters = new();
    private readonly InProcessCloud _cloud;

    private BootBench(InProcessCloud cloud) => _cloud = cloud;

    /// <summary>Idle instance actors stop after this (the node's default is 2 minutes; the run would not wait that long).</summary>
    public static readonly TimeSpan PassivateAfter = TimeSpan.FromSeconds(2);

    public ActorSystem System => _cloud.System;
    public NovaService Nova => _cloud.Nova;
    public string JournalPath => Path.Combine(_cloud.Settings.StateDir, "journal.db");
    public string NetworkId { get; private set; } = "";

    public static async Task<BootBench> Start(int hosts)
    {
        var cloud = await InProcessCloud.StartAsync(new InProcessCloudOptions
        {
            Hosts = Enumerable.Range(1, hosts).Select(h => new FakeHost($"compute{h:D3}", Vcpus: 64, MemoryMb: 262144, DiskGb: 4000)).ToList(),
            // The node's own persistence: hocon/sqlite.conf on a file in the cloud's state directory.
            Journal = JournalChoice.Settings,
            Environment = new Dictionary<string, string> { ["CLOUD_ACTORS_PERSISTENCE"] = "sqlite" },
            AskTimeout = TimeSpan.FromSeconds(60),
            Configure = s => s with
            {
                RegisterInterval = TimeSpan.FromSeconds(30),
                PowerSyncInterval = TimeSpan.FromMinutes(30),
                PassivateAfter = PassivateAfter,
            },
        });
        var bench = new BootBench(cloud);
        var listener = cloud.System.ActorOf(Props.Create(() => new ActiveListener(bench.Activated)));
        cloud.System.EventStream.Subscribe(listener, typeof(InstanceChanged));
        // privada (/24) holds 253 instances; the benchmark boots its thousands on a /16 of its own.
        var network = new Domain.Catalog.Network(Guid.NewGuid().ToString(), "bench", "10.128.0.0/16");
        await cloud.Catalog.Ask<CatalogChanged>(new CreateNetwork(network), TimeSpan.FromSeconds(10));
        bench.NetworkId = network.Id;
        return bench;
    }

    /// <summary>Boots one instance and returns (request time, ACTIVE time) in Stopwatch ticks.</summary>
    public async Task<(long Start, long Active)> BootOne(string name)
    {
        var start = Stopwatch.GetTimestamp();
        var booted = await Nova.Boot(new BootArguments(name, "cirros", "m1.tiny", null, [NetworkId]), RequestContext.ShellAdmin);
        var id = booted[0].State.Id;
        var waiter = _waiters.GetOrAdd(id, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_activeAt.TryGetValue(id, out var at)) waiter.TrySetResult(at);
        return (start, await waiter.Task);
    }

    private void Activated(Guid id, long at)
    {
        if (!_activeAt.TryAdd(id, at)) return;
        if (_waiters.TryGetValue(id, out var waiter)) waiter.TrySetResult(at);
    }

    public int ActiveCount => _activeAt.Count;

    public ValueTask DisposeAsync() => _cloud.DisposeAsync();

    private sealed class ActiveListener : ReceiveActor
    {
        public ActiveListener(Action<Guid, long> activated) =>
            Receive<InstanceChanged>(c =>
            {
                if (c.State.Status == "ACTIVE") activated(c.State.Id, Stopwatch.GetTimestamp());
            });
    }
}
