using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Event;
using Akka.Hosting;
using Akka.Pattern;
using Akka.Remote.Hosting;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Controller.Network;
using Cloud.Actors.Scheduler;
using Cloud.Actors.Scheduler.Filters;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Networking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Actors.Node;

/// <summary>
/// The one composition of a Cloud.Actors node, with Akka.Hosting's own builders: remoting, clustering with the
/// split-brain resolver, the way the node finds its cluster, persistence, the controllers' singletons (scheduler,
/// directory, catalog) and their proxies everywhere, the image service, the compute hosts, and the health checks
/// behind /healthcheck. The node program, the in-process cloud of the specs and the benchmark all compose through
/// here; only a <see cref="CloudComposition"/> tells them apart.
/// </summary>
public static class CloudActorsHosting
{
    /// <summary>Adds the node's actor system and the application layer over it (NovaService, ImageService on controllers).</summary>
    public static IServiceCollection AddCloudActors(this IServiceCollection services, NodeSettings settings, CloudComposition? composition = null)
    {
        composition ??= CloudComposition.Node;
        services.AddSingleton(settings);
        services.AddSingleton<NodeReadiness>();
        services.AddHealthChecks();
        // The REST API and the management endpoint log one line per request of their own; ASP.NET's are several.
        // A failing readiness check is the answer /healthcheck gives while the node starts, not an error of the node.
        services.AddLogging(logging => logging
            .AddFilter("Microsoft.AspNetCore", Microsoft.Extensions.Logging.LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", Microsoft.Extensions.Logging.LogLevel.Critical));
        // Before the actor system's hosted service: the endpoint answers (and /healthcheck says why not ready) while it starts.
        if (composition.Management) services.AddHostedService<ManagementEndpoint>();
        services.AddAkka(NodeSettings.SystemName, (akka, sp) => akka.WithCloudActors(settings, composition, sp.GetRequiredService<NodeReadiness>()));
        if (settings.IsController)
        {
            services.AddSingleton(sp => new NovaService(sp.GetRequiredService<IRequiredActor<CatalogKey>>(),
                sp.GetRequiredService<IRequiredActor<DirectoryKey>>(), sp.GetRequiredService<IRequiredActor<SchedulerKey>>(),
                sp.GetRequiredService<IRequiredActor<NetworkKey>>(), settings.AskTimeout, sp.GetRequiredService<ActorSystem>()));
            services.AddSingleton(sp => new ImageService(sp.GetRequiredService<IRequiredActor<CatalogKey>>(),
                new ReplicatedImageStore(NodeImages.Store(settings), sp.GetRequiredService<IRequiredActor<ImageReplicatorKey>>(),
                    NodeImages.Replication(settings), sp.GetRequiredService<ILogger<ReplicatedImageStore>>()),
                settings.AskTimeout));
            services.AddHostedService<NodeStartup>();
        }
        return services;
    }

    /// <summary>
    /// A node in this process (no shell, no REST API): a host with <see cref="AddCloudActors"/>, started. For specs and
    /// benchmarks that run nodes side by side; its logs go where <paramref name="logging"/> says, nowhere by default.
    /// </summary>
    public static async Task<IHost> StartNodeAsync(NodeSettings settings, CloudComposition composition,
        Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(l => logging?.Invoke(l));
        builder.Services.AddCloudActors(settings, composition);
        var host = builder.Build();
        await host.StartAsync(ct);
        return host;
    }

    public static AkkaConfigurationBuilder WithCloudActors(this AkkaConfigurationBuilder akka, NodeSettings settings, CloudComposition composition,
        NodeReadiness readiness)
    {
        // The node's HOCON first: the builders below take their values from the same settings, so both agree.
        akka.AddHocon(settings.Config, HoconAddMode.Prepend);
        akka.ConfigureLoggers(loggers =>
        {
            loggers.ClearLoggers();
            loggers.AddLoggerFactory();
        });
        akka.WithRemoting(new RemoteOptions { HostName = settings.Hostname, Port = settings.Port });
        akka.WithClustering(new ClusterOptions
        {
            Roles = [.. settings.Roles],
            SplitBrainResolver = new KeepMajorityOption(),
        });
        akka.WithAkkaClusterReadinessCheck();
        akka.WithClusterFormation(settings, composition.Formation);
        akka.WithCloudPersistence(settings, composition.Journal);
        akka.WithControllerSingletons(settings);
        if (settings.IsController) akka.WithImageService(settings);
        foreach (var host in composition.ComputeHosts ?? NodeCompute.FromSettings(settings))
            akka.WithComputeHost(host, settings);
        if (settings.IsCompute) akka.WithImageCacheManager(settings);
        akka.WithNodeHealthChecks(settings, readiness);
        return akka;
    }

    private static readonly ClusterSingletonOptions OnControllers = new() { Role = NodeRoles.Controller };

    /// <summary>
    /// The controllers' single writers as cluster singletons on the oldest controller, with a proxy on every node: the
    /// scheduler (no journal: hosts re-register), the network service ("network"), the directory (persistence id
    /// "directory") and the catalog ("catalog"). Never two writers of one persistence id, whatever the number of controllers.
    /// </summary>
    private static AkkaConfigurationBuilder WithControllerSingletons(this AkkaConfigurationBuilder akka, NodeSettings settings)
    {
        if (!settings.IsController)
            return akka
                .WithSingletonProxy<SchedulerKey>("scheduler", OnControllers)
                .WithSingletonProxy<NetworkKey>("network", OnControllers)
                .WithSingletonProxy<DirectoryKey>("directory", OnControllers)
                .WithSingletonProxy<CatalogKey>("catalog", OnControllers);

        var scheduler = settings.Config.GetConfig("cloud-actors.scheduler");
        var ratios = new AllocationRatios(scheduler.GetDouble("cpu-allocation-ratio"), scheduler.GetDouble("ram-allocation-ratio"),
            scheduler.GetDouble("disk-allocation-ratio"));
        var firstNumber = settings.Config.GetLong("cloud-actors.directory.first-instance-number");
        var networkSnapshotEvery = settings.Config.GetInt("cloud-actors.network.snapshot-every", 1000);
        return akka
            .WithSingleton<SchedulerKey>("scheduler", SchedulerActor.Props(ratios, settings.NodeName, scheduler.GetTimeSpan("warm-up")), OnControllers)
            // Before the directory, which tells it the ports of removed instances.
            .WithSingleton<NetworkKey>("network", Supervised(NetworkActor.Props(networkSnapshotEvery), "network", settings), OnControllers)
            .WithSingleton<DirectoryKey>("directory", (_, registry, _) =>
                Supervised(DirectoryActor.Props(registry.Get<SchedulerKey>(), firstNumber, network: registry.Get<NetworkKey>()), "directory", settings), OnControllers)
            .WithSingleton<CatalogKey>("catalog", Supervised(CatalogActor.Props(), "catalog", settings), OnControllers)
            .WithNetworkAgent(settings);
    }

    /// <summary>
    /// Neutron's DHCP and metadata agents as one singleton on the controllers, when enabled: the proxies it runs in the
    /// networks' namespaces forward to this controller's metadata API, signed with the shared secret.
    /// </summary>
    private static AkkaConfigurationBuilder WithNetworkAgent(this AkkaConfigurationBuilder akka, NodeSettings settings)
    {
        var agent = settings.Config.GetConfig("cloud-actors.network.agent");
        if (agent is null || !agent.GetBoolean("enabled", false)) return akka;
        var api = settings.Config.GetConfig("cloud-actors.api");
        var host = api.GetString("host", "127.0.0.1") is "0.0.0.0" or "*" or "" ? "127.0.0.1" : api.GetString("host");
        var metadata = new Uri($"http://{host}:{api.GetInt("metadata-port", 8775)}/");
        var secret = api.GetString("metadata-proxy-shared-secret", "");
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        NetworkAgentActor.MetadataProxyFactory proxies = (ns, network, identify) => new MetadataProxy(ns, network, identify, http, metadata, secret);
        var dhcp = new DnsmasqDhcp(agent.GetString("run-dir"), NodeNetwork.Bridges(settings));
        var interval = agent.GetTimeSpan("interval", TimeSpan.FromSeconds(1));
        return akka.WithSingleton<NetworkAgentKey>("network-agent",
            (_, registry, _) => NetworkAgentActor.Props(registry.Get<NetworkKey>(), dhcp, proxies, interval), OnControllers);
    }

    /// <summary>
    /// Compute host <paramref name="host"/> at /user/&lt;actor name&gt;. The first host of the node is its
    /// <see cref="ComputeKey"/> (the shell's host palette asks it).
    /// </summary>
    private static AkkaConfigurationBuilder WithComputeHost(this AkkaConfigurationBuilder akka, ComputeHostSpec host, NodeSettings settings) =>
        akka.StartActors(async (system, registry) =>
        {
            var (hypervisor, storage) = await OpenDriver(system, host, settings);
            var compute = system.ActorOf(Supervised(
                ComputeActor.Props(hypervisor, registry.Get<SchedulerKey>(), registry.Get<DirectoryKey>(), host.Settings, storage, host.Vifs),
                "host", settings), host.ActorName);
            registry.TryRegister<ComputeKey>(compute);
        });

    /// <summary>
    /// The host's driver; a hypervisor that does not answer yet (libvirtd starting) is waited for with back-off, as a
    /// host under load must start late rather than not at all. A driver that cannot exist here (no libvirt library, a
    /// wrong setting) fails the start with its reason.
    /// </summary>
    private static Task<(IHypervisor, IInstanceStorage)> OpenDriver(ActorSystem system, ComputeHostSpec host, NodeSettings settings) =>
        StartupBackoff.Of(settings).RetryAsync(_ => Task.FromResult(host.Driver(system)),
            transient: e => e is HypervisorException && e.InnerException is not DllNotFoundException,
            retrying: (e, attempt, delay) => Logging.GetLogger(system, typeof(CloudActorsHosting)).Warning(
                "Compute host {0}: the hypervisor does not answer yet ({1}); trying again in {2:0.#} s (attempt {3})",
                host.Settings.Host, e.Message, delay.TotalSeconds, attempt));

    /// <summary>
    /// A persistent actor under a back-off supervisor (Akka's pattern for them): one whose journal cannot be read yet
    /// fails its recovery and stops, and is started again after a growing pause instead of staying dead.
    /// </summary>
    internal static Props Supervised(Props persistent, string childName, NodeSettings settings) =>
        BackoffSupervisor.Props(Backoff.OnStop(persistent, childName, settings.StartupBackoffMin, settings.StartupBackoffMax, 0.2, maxNrOfRetries: -1));
}
