using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Node;
using Cloud.Actors.Scheduler;
using Cloud.Actors.Scheduler.Filters;
using Cloud.Actors.Virt.Fake;

namespace Cloud.Actors.Bench;

/// <summary>
/// One in-process cloud with the fake driver: controller actors plus <c>hosts</c> compute actors, journaled
/// to a fresh SQLite file. Boots go through the same NovaService the shell uses and are timed to ACTIVE.
/// </summary>
public sealed class BootBench : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, long> _activeAt = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> _waiters = new();
    private readonly string _dir;

    private BootBench(ActorSystem system, NovaService nova, string dir, string journal)
    {
        System = system;
        Nova = nova;
        _dir = dir;
        JournalPath = journal;
    }

    /// <summary>Idle instance actors stop after this (the node's default is 2 minutes; the run would not wait that long).</summary>
    public static readonly TimeSpan PassivateAfter = TimeSpan.FromSeconds(2);

    public ActorSystem System { get; }
    public NovaService Nova { get; }
    public string JournalPath { get; }
    public string NetworkId { get; private set; } = "";

    public static async Task<BootBench> Start(int hosts)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cloud-actors-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var journal = Path.Combine(dir, "journal.db");
        // The node's own settings (hocon/base.conf, hocon/sqlite.conf), in one process without a cluster.
        Config Hocon(string file) => ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", file)));
        SqliteJournalFile.UseWriteAheadLog(journal);
        var connection = global::System.Text.Json.JsonSerializer.Serialize($"Data Source={journal}");
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.actor.provider = local
            akka.persistence.journal.sql.connection-string = {{connection}}
            akka.persistence.snapshot-store.sql.connection-string = {{connection}}
            """)
            .WithFallback(Hocon("base.conf"))
            .WithFallback(Hocon("sqlite.conf"))
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
        var system = ActorSystem.Create("bench", config);
        var scheduler = system.ActorOf(SchedulerActor.Props(AllocationRatios.Default), "scheduler");
        var directory = system.ActorOf(DirectoryActor.Props(scheduler), "directory");
        var catalog = system.ActorOf(CatalogActor.Props(), "catalog");
        for (var h = 1; h <= hosts; h++)
        {
            var name = $"compute{h:D3}";
            var hv = new FakeHypervisor(new FakeHypervisorOptions { Hostname = name, Vcpus = 64, MemoryMb = 262144, DiskGb = 4000 });
            system.ActorOf(ComputeActor.Props(hv, scheduler, directory, new ComputeSettings
            {
                Host = name,
                RegisterInterval = TimeSpan.FromSeconds(30),
                PowerSyncInterval = TimeSpan.FromMinutes(30),
                PassivateAfter = PassivateAfter,
            }), name);
        }
        var bench = new BootBench(system, new NovaService(catalog, directory, scheduler, TimeSpan.FromSeconds(60), system), dir, journal);
        var listener = system.ActorOf(Props.Create(() => new ActiveListener(bench.Activated)));
        system.EventStream.Subscribe(listener, typeof(InstanceChanged));
        // Wait until every host has registered with the scheduler.
        while ((await bench.Nova.Hypervisors()).Count < hosts) await Task.Delay(50);
        // privada (/24) holds 253 instances; the benchmark boots its thousands on a /16 of its own.
        var network = new Domain.Catalog.Network(Guid.NewGuid().ToString(), "bench", "10.128.0.0/16");
        await catalog.Ask<CatalogChanged>(new CreateNetwork(network), TimeSpan.FromSeconds(10));
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

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed class ActiveListener : ReceiveActor
    {
        public ActiveListener(Action<Guid, long> activated) =>
            Receive<InstanceChanged>(c =>
            {
                if (c.State.Status == "ACTIVE") activated(c.State.Id, Stopwatch.GetTimestamp());
            });
    }
}
