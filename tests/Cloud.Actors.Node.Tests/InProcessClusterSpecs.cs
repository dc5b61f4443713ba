using Akka.Actor;
using Akka.Cluster;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Node;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// A controller and two compute hosts as three actor systems on 127.0.0.1 (random ports), composed exactly as
/// the node program composes them from hocon/, each with its own SQLite journal.
/// </summary>
public sealed class InProcessClusterSpecs : IAsyncLifetime
{
    private const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";
    private readonly string _stateRoot = Path.Combine(Path.GetTempPath(), "cloud-actors-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ActorSystem> _systems = [];
    private NovaService _nova = null!;

    public async Task InitializeAsync()
    {
        var (controller, actors) = StartNode("controller", NodeRoles.Controller);
        var seed = Cluster.Get(controller).SelfAddress;
        Cluster.Get(controller).Join(seed);
        foreach (var host in new[] { "compute1", "compute2" })
        {
            var (system, _) = StartNode(host, NodeRoles.Compute);
            Cluster.Get(system).Join(seed);
        }
        await Eventually(() => Task.FromResult(Cluster.Get(controller).State.Members.Count(m => m.Status == MemberStatus.Up) == 3), "3 members Up");
        _nova = new NovaService(actors.Catalog!, actors.Directory, actors.Scheduler, TimeSpan.FromSeconds(10));
        await Eventually(async () => (await _nova.Hypervisors()).Count == 2, "both hosts registered");
    }

    public async Task DisposeAsync()
    {
        foreach (var system in Enumerable.Reverse(_systems)) await system.Terminate();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_stateRoot, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_boot_lands_on_a_compute_host()
    {
        var booted = await _nova.Boot(new BootArguments("test2", "cirros", "1", null, [Privada]), RequestContext.ShellAdmin);
        var id = booted.Single().State.Id.ToString();
        var active = await Eventually(async () => (await _nova.Show(id, RequestContext.ShellAdmin)).State, s => s.Status == "ACTIVE");
        Assert.Contains(active.Host, new[] { "compute1", "compute2" });
    }

    [Fact]
    public async Task A_host_that_leaves_the_cluster_gets_no_new_instances()
    {
        var leaving = _systems.Single(s => s.Settings.Config.GetString("cloud-actors.node-name") == "compute2");
        var cluster = Cluster.Get(_systems[0]);
        cluster.Leave(Cluster.Get(leaving).SelfAddress);
        await Eventually(() => Task.FromResult(cluster.State.Members.All(m => m.Address != Cluster.Get(leaving).SelfAddress)), "compute2 removed");

        var hosts = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            var id = (await _nova.Boot(new BootArguments($"after-{i}", "cirros", "1", null, [Privada]), RequestContext.ShellAdmin)).Single().State.Id;
            var active = await Eventually(async () => (await _nova.Show(id.ToString(), RequestContext.ShellAdmin)).State, s => s.Status == "ACTIVE");
            hosts.Add(active.Host);
        }
        Assert.All(hosts, h => Assert.Equal("compute1", h));
    }

    private (ActorSystem, NodeActors) StartNode(string name, string roles)
    {
        var env = new Dictionary<string, string>
        {
            ["CLOUD_ACTORS_NODE"] = name,
            ["CLOUD_ACTORS_ROLES"] = roles,
            ["CLOUD_ACTORS_PORT"] = "0",
            ["CLOUD_ACTORS_STATE_DIR"] = Path.Combine(_stateRoot, name),
            ["CLOUD_ACTORS_DRIVER"] = "fake",
        };
        var settings = NodeSettings.Load(Path.Combine(AppContext.BaseDirectory, "hocon"), v => env.GetValueOrDefault(v));
        var system = ActorSystem.Create(NodeSettings.SystemName, settings.Config);
        _systems.Add(system);
        return (system, NodeActors.Start(system, settings));
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never: {what}");
            await Task.Delay(100);
        }
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never satisfied; last {value}");
            await Task.Delay(100);
        }
    }
}
