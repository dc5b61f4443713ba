using Akka.Actor;
using Akka.Cluster;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Node;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// A controller and compute hosts as actor systems in this process on 127.0.0.1 (random ports), each composed
/// exactly as the node program composes it: <see cref="NodeSettings.Load"/> from hocon/ with CLOUD_ACTORS_*
/// variables, then <see cref="CloudActorsHosting.StartNodeAsync"/> (joined by hand instead of by cluster bootstrap).
/// Every node keeps its state under <see cref="StateRoot"/>/&lt;node&gt;, so a cluster stopped with
/// <see cref="StopAsync"/> can be started again on the same state.
/// </summary>
public sealed class InProcessCluster(string stateRoot, IReadOnlyDictionary<string, string>? environment = null) : IAsyncDisposable
{
    /// <summary>The catalog's seeded network "privada".</summary>
    public const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";

    public static readonly string[] DefaultComputes = ["compute1", "compute2"];

    private readonly IReadOnlyDictionary<string, string> _environment = environment ?? new Dictionary<string, string>();
    private readonly List<IHost> _hosts = [];
    private readonly List<ActorSystem> _systems = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();
    private NovaService? _nova;

    /// <summary>A fresh directory under the system's temp directory, for <see cref="InProcessCluster(string, IReadOnlyDictionary{string, string}?)"/>.</summary>
    public static string NewStateRoot() =>
        Path.Combine(Path.GetTempPath(), "cloud-actors-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    public string StateRoot { get; } = stateRoot;

    /// <summary>The running systems, controller first.</summary>
    public IReadOnlyList<ActorSystem> Systems => _systems;

    public ActorSystem Controller => _systems[0];

    /// <summary>Every ERROR any node has logged since this cluster was created, as "node: message (cause)".</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>The nova application layer on the controller, as the shell uses it.</summary>
    public NovaService Nova => _nova ?? throw new InvalidOperationException("the cluster is not started");

    public ActorSystem Node(string name) =>
        _systems.Single(s => s.Settings.Config.GetString("cloud-actors.node-name") == name);

    /// <summary>Starts the controller(s) (default one, "controller") and <paramref name="computes"/> (default compute1,
    /// compute2) at once, as `cluster.sh up` starts its processes, and waits until every member is Up and every compute
    /// host has registered. The first controller joins first: it is the oldest, where the singletons run.</summary>
    public async Task StartAsync(IReadOnlyList<string>? computes = null, IReadOnlyList<string>? controllers = null)
    {
        if (_systems.Count > 0) throw new InvalidOperationException("the cluster is already started");
        computes ??= DefaultComputes;
        controllers ??= ["controller"];
        var nodes = controllers.Select(name => (Name: name, Roles: NodeRoles.Controller))
            .Concat(computes.Select(host => (Name: host, Roles: NodeRoles.Compute)))
            .Select(n => Settings(n.Name, n.Roles))
            .ToList();
        var hosts = await Task.WhenAll(nodes.Select(settings =>
            CloudActorsHosting.StartNodeAsync(settings, new CloudComposition { Formation = ClusterFormation.Manual })));
        _hosts.AddRange(hosts);
        _systems.AddRange(hosts.Select(h => h.Services.GetRequiredService<ActorSystem>()));
        foreach (var (settings, system) in nodes.Zip(_systems))
            system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new ErrorCollector(settings.NodeName, _errors)), "test-errors"),
                typeof(Akka.Event.Error));

        var seed = Cluster.Get(Controller).SelfAddress;
        Cluster.Get(Controller).Join(seed);
        await Eventually.True(() => Task.FromResult(Cluster.Get(Controller).SelfMember.Status == MemberStatus.Up), "the first controller Up");
        foreach (var system in _systems.Skip(1)) Cluster.Get(system).Join(seed);
        var members = _systems.Count;
        await Eventually.True(() => Task.FromResult(Cluster.Get(Controller).State.Members.Count(m => m.Status == MemberStatus.Up) == members),
            $"{members} members Up");
        _nova = hosts[0].Services.GetRequiredService<NovaService>();
        await Eventually.True(async () => (await _nova.Hypervisors()).Count == computes.Count, $"{computes.Count} hosts registered");
    }

    /// <summary>Stops one node the way SIGTERM stops the node program: it leaves the cluster, then its host stops.</summary>
    public async Task StopNodeAsync(string name)
    {
        var index = _systems.IndexOf(Node(name));
        var host = _hosts[index];
        await host.StopAsync();
        host.Dispose();
        _hosts.RemoveAt(index);
        _systems.RemoveAt(index);
    }

    /// <summary>The node's own services (its NovaService on a controller, its health checks ...).</summary>
    public IServiceProvider Services(string node) =>
        _hosts[_systems.IndexOf(Node(node))].Services;

    /// <summary>Terminates every node, compute hosts first and the controller last; the state stays.</summary>
    public async Task StopAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            host.Dispose();
        }
        _hosts.Clear();
        _systems.Clear();
        _nova = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Stops the nodes and deletes <see cref="StateRoot"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(StateRoot, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
    }

    private NodeSettings Settings(string name, string roles)
    {
        var env = new Dictionary<string, string>(_environment)
        {
            ["CLOUD_ACTORS_NODE"] = name,
            ["CLOUD_ACTORS_ROLES"] = roles,
            ["CLOUD_ACTORS_PORT"] = "0",
            ["CLOUD_ACTORS_STATE_DIR"] = Path.Combine(StateRoot, name),
            ["CLOUD_ACTORS_DRIVER"] = "fake",
        };
        return NodeSettings.Load(HoconDir, v => env.GetValueOrDefault(v));
    }

    /// <summary>hocon/ as copied next to the node's assembly, the files the node program reads.</summary>
    public static string HoconDir => InProcessCloud.HoconDir;
}

/// <summary>Collects a node's ERROR log events.</summary>
internal sealed class ErrorCollector : ReceiveActor
{
    public ErrorCollector(string node, System.Collections.Concurrent.ConcurrentQueue<string> errors) =>
        Receive<Akka.Event.Error>(e => errors.Enqueue($"{node}: {e.Message} ({e.Cause?.GetType().Name}: {e.Cause?.Message})"));
}

/// <summary>Polls until a condition holds, for at most 30 seconds.</summary>
public static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task True(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never: {what}");
            await Task.Delay(100);
        }
    }

    public static async Task<T> Satisfies<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never satisfied; last {value}");
            await Task.Delay(100);
        }
    }
}
