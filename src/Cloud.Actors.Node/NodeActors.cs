using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Scheduler;
using Cloud.Actors.Scheduler.Filters;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Fake;

namespace Cloud.Actors.Node;

/// <summary>The actors a node runs for its roles, started in an actor system that has joined (or will join) the cluster.</summary>
public sealed record NodeActors(IActorRef Scheduler, IActorRef Directory, IActorRef? Catalog, IActorRef? Compute)
{
    /// <summary>
    /// What the node program does once its actor system runs: readies the persistence plugins (on postgres, one node
    /// at a time: <see cref="PostgresSchema"/>), then <see cref="Start"/>.
    /// </summary>
    public static async Task<NodeActors> StartAsync(ActorSystem system, NodeSettings settings, Func<IHypervisor>? hypervisor = null)
    {
        await PostgresSchema.InitializeAsync(system, settings);
        return Start(system, settings, hypervisor);
    }

    /// <summary>
    /// Starts the singleton proxies everywhere, the scheduler and directory singletons plus the catalog on
    /// controllers, and the compute actor at /user/compute on compute hosts.
    /// </summary>
    public static NodeActors Start(ActorSystem system, NodeSettings settings, Func<IHypervisor>? hypervisor = null)
    {
        var singleton = ClusterSingletonManagerSettings.Create(system).WithRole(NodeRoles.Controller);
        var proxy = ClusterSingletonProxySettings.Create(system).WithRole(NodeRoles.Controller);
        var scheduler = system.ActorOf(ClusterSingletonProxy.Props("/user/scheduler", proxy), "scheduler-proxy");
        var directory = system.ActorOf(ClusterSingletonProxy.Props("/user/directory", proxy), "directory-proxy");
        IActorRef? catalog = null, compute = null;

        if (settings.IsController)
        {
            var ratios = Ratios(settings.Config.GetConfig("cloud-actors.scheduler"));
            system.ActorOf(ClusterSingletonManager.Props(SchedulerActor.Props(ratios), PoisonPill.Instance, singleton), "scheduler");
            system.ActorOf(ClusterSingletonManager.Props(DirectoryActor.Props(scheduler), PoisonPill.Instance, singleton), "directory");
            catalog = system.ActorOf(CatalogActor.Props(), "catalog");
        }

        if (settings.IsCompute)
        {
            var computeConfig = settings.Config.GetConfig("cloud-actors.compute");
            compute = system.ActorOf(ComputeActor.Props(hypervisor?.Invoke() ?? Hypervisor(computeConfig, settings), scheduler, directory,
                new ComputeSettings
                {
                    Host = settings.NodeName,
                    AvailabilityZone = computeConfig.GetString("availability-zone"),
                    RegisterInterval = computeConfig.GetTimeSpan("register-interval"),
                    PowerSyncInterval = computeConfig.GetTimeSpan("power-sync-interval"),
                    ConsoleTailer = new ConsoleTailerSettings
                    {
                        PollInterval = computeConfig.GetTimeSpan("console.poll-interval"),
                        SaveInterval = computeConfig.GetTimeSpan("console.save-interval"),
                    },
                    ShutdownTimeout = computeConfig.GetTimeSpan("shutdown-timeout"),
                    PassivateAfter = computeConfig.GetTimeSpan("passivate-after"),
                }), "compute");
        }
        return new NodeActors(scheduler, directory, catalog, compute);
    }

    private static AllocationRatios Ratios(Config c) => new(
        c.GetDouble("cpu-allocation-ratio"), c.GetDouble("ram-allocation-ratio"), c.GetDouble("disk-allocation-ratio"));

    private static IHypervisor Hypervisor(Config compute, NodeSettings settings) => compute.GetString("driver") switch
    {
        "fake" => new FakeHypervisor(new FakeHypervisorOptions
        {
            Hostname = settings.NodeName,
            Vcpus = compute.GetInt("fake.vcpus"),
            MemoryMb = compute.GetLong("fake.memory-mb"),
            DiskGb = compute.GetLong("fake.disk-gb"),
            Latency = compute.GetTimeSpan("fake.latency"),
            StatePath = Path.Combine(settings.StateDir, "fake-hypervisor.json"),
        }),
        var other => throw new ArgumentException(
            $"CLOUD_ACTORS_DRIVER: driver '{other}' is not available in this build (expected fake)"),
    };
}
