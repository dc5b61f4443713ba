using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Controller.Images;
using Cloud.Actors.Virt.Fake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Actors.Node;

/// <summary>A fake compute host of an <see cref="InProcessCloud"/>: its name (and actor name), zone and size.</summary>
public sealed record FakeHost(string Name, string Zone = "nova", int Vcpus = 8, long MemoryMb = 32768, long DiskGb = 500);

public sealed record InProcessCloudOptions
{
    public IReadOnlyList<FakeHost> Hosts { get; init; } = [new("compute1"), new("compute2")];

    /// <summary>In memory by default; <see cref="JournalChoice.Settings"/> is SQLite in the state directory (or what <see cref="Environment"/> says).</summary>
    public JournalChoice Journal { get; init; } = JournalChoice.InMemory;

    /// <summary>Every host's compute settings, from the defaults of the specs (short shutdown timeout, fast console polls).</summary>
    public Func<ComputeSettings, ComputeSettings>? Configure { get; init; }

    /// <summary>The hosts' instance storage; none by default (the fake driver keeps no files).</summary>
    public IInstanceStorage? Storage { get; init; }

    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>More CLOUD_ACTORS_* settings of the node (the in-process cloud sets its name, roles, port and state directory).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>HOCON in front of hocon/ (a site file of the node), e.g. "akka.loglevel = INFO".</summary>
    public string Hocon { get; init; } = "akka.loglevel = WARNING";

    /// <summary>Where the node's logs go; nowhere by default.</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }

    /// <summary>The node's state (journal when on SQLite, image store); a new temporary directory by default, removed on dispose.</summary>
    public string? StateDir { get; init; }
}

/// <summary>
/// A whole cloud in one actor system, composed exactly as a node is (<see cref="CloudActorsHosting.AddCloudActors"/>):
/// a controller that joins itself (the scheduler, network, directory and catalog singletons, the image service) and fake
/// compute hosts at /user/&lt;host name&gt;. The specs and the benchmark run their clouds through here.
/// </summary>
public sealed class InProcessCloud : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _stateDir;
    private readonly bool _ownsStateDir;

    private InProcessCloud(IHost host, NodeSettings settings, string stateDir, bool ownsStateDir, IReadOnlyDictionary<string, FakeHypervisor> hypervisors)
    {
        _host = host;
        _stateDir = stateDir;
        _ownsStateDir = ownsStateDir;
        Settings = settings;
        Hypervisors = hypervisors;
        System = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        Directory = registry.Get<DirectoryKey>();
        Network = registry.Get<NetworkKey>();
        Catalog = registry.Get<CatalogKey>();
        Scheduler = registry.Get<SchedulerKey>();
        Nova = host.Services.GetRequiredService<NovaService>();
        Images = host.Services.GetRequiredService<ImageService>();
    }

    public NodeSettings Settings { get; }
    public ActorSystem System { get; }
    public IServiceProvider Services => _host.Services;
    public NovaService Nova { get; }
    public ImageService Images { get; }
    public ImageStore ImageStore => NodeImages.Store(Settings);
    public IActorRef Directory { get; }
    public IActorRef Catalog { get; }

    /// <summary>The network service (Neutron's server) singleton's proxy.</summary>
    public IActorRef Network { get; }
    public IActorRef Scheduler { get; }
    public IReadOnlyDictionary<string, FakeHypervisor> Hypervisors { get; }

    /// <summary>Starts the cloud and returns once it is one Up member and every host has registered with the scheduler.</summary>
    public static async Task<InProcessCloud> StartAsync(InProcessCloudOptions? options = null, CancellationToken ct = default)
    {
        options ??= new InProcessCloudOptions();
        var ownsStateDir = options.StateDir is null;
        var stateDir = options.StateDir ?? global::System.IO.Directory.CreateTempSubdirectory("cloud-actors-cloud-").FullName;
        global::System.IO.Directory.CreateDirectory(stateDir);
        var site = Path.Combine(stateDir, "in-process.conf");
        await File.WriteAllTextAsync(site, options.Hocon, ct);
        var environment = new Dictionary<string, string>(options.Environment)
        {
            ["CLOUD_ACTORS_NODE"] = "controller",
            ["CLOUD_ACTORS_ROLES"] = $"{NodeRoles.Controller},{NodeRoles.Compute}",
            ["CLOUD_ACTORS_PORT"] = "0",
            ["CLOUD_ACTORS_STATE_DIR"] = stateDir,
            ["CLOUD_ACTORS_API_ENABLED"] = "off",
            ["CLOUD_ACTORS_CONFIG"] = site,
            ["CLOUD_ACTORS_ASK_TIMEOUT"] = $"{options.AskTimeout.TotalMilliseconds}ms",
        };
        var settings = NodeSettings.Load(HoconDir, v => environment.GetValueOrDefault(v));

        var hypervisors = options.Hosts.ToDictionary(h => h.Name, h => new FakeHypervisor(new FakeHypervisorOptions
        {
            Hostname = h.Name, Vcpus = h.Vcpus, MemoryMb = h.MemoryMb, DiskGb = h.DiskGb,
        }));
        var storage = options.Storage ?? NoInstanceStorage.Instance;
        var hosts = options.Hosts.Select(h =>
        {
            var compute = new ComputeSettings
            {
                Host = h.Name,
                AvailabilityZone = h.Zone,
                ShutdownTimeout = TimeSpan.FromSeconds(2),
                ConsoleTailer = new ConsoleTailerSettings { PollInterval = TimeSpan.FromMilliseconds(50) },
            };
            return new ComputeHostSpec(h.Name, _ => (hypervisors[h.Name], storage), options.Configure?.Invoke(compute) ?? compute);
        }).ToList();

        var host = await CloudActorsHosting.StartNodeAsync(settings, new CloudComposition
        {
            Formation = ClusterFormation.JoinSelf,
            Journal = options.Journal,
            ComputeHosts = hosts,
        }, options.Logging, ct);
        var cloud = new InProcessCloud(host, settings, stateDir, ownsStateDir, hypervisors);
        try
        {
            await cloud.WaitUntil(() => Task.FromResult(Cluster.Get(cloud.System).SelfMember.Status == MemberStatus.Up), "the node is Up");
            await cloud.WaitUntil(async () => (await cloud.Nova.Hypervisors()).Count == hosts.Count, $"{hosts.Count} hosts registered");
        }
        catch
        {
            await cloud.DisposeAsync();
            throw;
        }
        return cloud;
    }

    private async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"in-process cloud: never {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsStateDir)
        {
            try { global::System.IO.Directory.Delete(_stateDir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>hocon/ as copied next to the node's assembly, the files the node program reads.</summary>
    public static string HoconDir => Path.Combine(AppContext.BaseDirectory, "hocon");
}
