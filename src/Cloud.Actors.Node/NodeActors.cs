using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Event;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Scheduler;
using Cloud.Actors.Scheduler.Filters;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Fake;
using Cloud.Actors.Virt.Images;
using Cloud.Actors.Virt.Libvirt;

namespace Cloud.Actors.Node;

/// <summary>The actors a node runs for its roles, started in an actor system that has joined (or will join) the cluster.</summary>
public sealed record NodeActors(IActorRef Scheduler, IActorRef Directory, IActorRef? Catalog, IActorRef? Compute)
{
    /// <summary>
    /// What the node program does once its actor system runs: readies the persistence plugins (on postgres, one node
    /// at a time: <see cref="PostgresSchema"/>), then <see cref="Start"/>, then seeds the image store on controllers.
    /// </summary>
    public static async Task<NodeActors> StartAsync(ActorSystem system, NodeSettings settings, Func<IHypervisor>? hypervisor = null)
    {
        await PostgresSchema.InitializeAsync(system, settings);
        var actors = Start(system, settings, hypervisor);
        if (actors.Catalog is not null) await NodeImages.SeedAsync(system, settings, actors.Catalog);
        return actors;
    }

    /// <summary>
    /// Starts the singleton proxies everywhere, the scheduler and directory singletons plus the catalog on
    /// controllers, and the compute actor at /user/compute on compute hosts.
    /// </summary>
    public static NodeActors Start(ActorSystem system, NodeSettings settings, Func<IHypervisor>? hypervisor = null)
    {
        NodeImages.PrepareStreams(system);
        var singleton = ClusterSingletonManagerSettings.Create(system).WithRole(NodeRoles.Controller);
        var proxy = ClusterSingletonProxySettings.Create(system).WithRole(NodeRoles.Controller);
        var scheduler = system.ActorOf(ClusterSingletonProxy.Props("/user/scheduler", proxy), "scheduler-proxy");
        var directory = system.ActorOf(ClusterSingletonProxy.Props("/user/directory", proxy), "directory-proxy");
        IActorRef? catalog = null, compute = null;

        if (settings.IsController)
        {
            var ratios = Ratios(settings.Config.GetConfig("cloud-actors.scheduler"));
            system.ActorOf(ClusterSingletonManager.Props(SchedulerActor.Props(ratios, settings.NodeName), PoisonPill.Instance, singleton), "scheduler");
            system.ActorOf(ClusterSingletonManager.Props(DirectoryActor.Props(scheduler, settings.Config.GetLong("cloud-actors.directory.first-instance-number")), PoisonPill.Instance, singleton), "directory");
            catalog = system.ActorOf(CatalogActor.Props(), "catalog");
            NodeImages.StartService(system, settings, catalog);
        }

        if (settings.IsCompute)
        {
            var computeConfig = settings.Config.GetConfig("cloud-actors.compute");
            var (driver, storage) = hypervisor is null ? Driver(system, computeConfig, settings) : (hypervisor(), NoInstanceStorage.Instance);
            compute = system.ActorOf(ComputeActor.Props(driver, scheduler, directory,
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
                    OrphanAction = computeConfig.GetString("running-deleted-instance-action") switch
                    {
                        "log" => OrphanAction.Log,
                        "reap" => OrphanAction.Reap,
                        var other => throw new ArgumentException(
                            $"cloud-actors.compute.running-deleted-instance-action: '{other}' is not log or reap"),
                    },
                }, storage), "compute");
            NodeImages.StartCacheManager(system, settings);
        }
        return new NodeActors(scheduler, directory, catalog, compute);
    }

    private static AllocationRatios Ratios(Config c) => new(
        c.GetDouble("cpu-allocation-ratio"), c.GetDouble("ram-allocation-ratio"), c.GetDouble("disk-allocation-ratio"));

    /// <summary>The host's hypervisor driver and the instance files that go with it (none for the fake).</summary>
    private static (IHypervisor, IInstanceStorage) Driver(ActorSystem system, Config compute, NodeSettings settings) => compute.GetString("driver") switch
    {
        "fake" => (new FakeHypervisor(new FakeHypervisorOptions
        {
            Hostname = settings.NodeName,
            Vcpus = compute.GetInt("fake.vcpus"),
            MemoryMb = compute.GetLong("fake.memory-mb"),
            DiskGb = compute.GetLong("fake.disk-gb"),
            Latency = compute.GetTimeSpan("fake.latency"),
            StatePath = Path.Combine(settings.StateDir, "fake-hypervisor.json"),
        }), NoInstanceStorage.Instance),
        "libvirt" => Libvirt(system, compute, settings),
        var other => throw new ArgumentException(
            $"CLOUD_ACTORS_DRIVER: unknown driver '{other}' (expected libvirt or fake)"),
    };

    /// <summary>
    /// Nova's libvirt driver on this host: guests on cloud-actors.compute.libvirt.uri, their files in the instances
    /// path, base images fetched from the controllers' image store into its _base cache.
    /// </summary>
    private static (IHypervisor, IInstanceStorage) Libvirt(ActorSystem system, Config compute, NodeSettings settings)
    {
        var instances = NodeImages.InstancesPath(settings);
        System.IO.Directory.CreateDirectory(instances);
        var tcgCache = compute.GetInt("libvirt.tcg-tb-cache-mb");
        var options = new LibvirtOptions
        {
            Uri = compute.GetString("libvirt.uri"),
            InstancesPath = instances,
            // Several hosts may share one machine (and one libvirtd): each reports its own node name.
            Hostname = settings.NodeName,
            VirtType = compute.GetString("libvirt.virt-type") switch
            {
                "auto" => null,
                "kvm" => DomainType.Kvm,
                "qemu" => DomainType.Qemu,
                var other => throw new ArgumentException($"CLOUD_ACTORS_VIRT_TYPE: virt type '{other}' is not auto, kvm or qemu"),
            },
            TcgTbCacheMb = tcgCache > 0 ? tcgCache : null,
            KeepAliveInterval = compute.GetTimeSpan("libvirt.keepalive-interval"),
            KeepAliveCount = (uint)compute.GetInt("libvirt.keepalive-count"),
        };
        var domains = new GuestDomain(options);
        var hypervisor = new LibvirtHypervisor(options, domains.XmlFor);
        Logging.GetLogger(system, typeof(NodeActors)).Info("libvirt driver on {0} ({1} domains), instances in {2}",
            options.Uri, domains.Type.ToString().ToLowerInvariant(), instances);
        return (hypervisor, new LocalInstanceStorage(instances, NodeImages.Cache(system, settings), new QemuImg(), new ConfigDrive()));
    }
}
