using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Fake;
using Cloud.Actors.Virt.Images;
using Cloud.Actors.Virt.Libvirt;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Node;

/// <summary>A node's own compute host, from its settings (hocon/compute.conf): its driver, files and timings.</summary>
public static class NodeCompute
{
    /// <summary>The node's compute host at /user/compute, named after the node; none unless it has the compute role.</summary>
    public static IReadOnlyList<ComputeHostSpec> FromSettings(NodeSettings settings) =>
        settings.IsCompute ? [new ComputeHostSpec("compute", system => Driver(system, settings), Settings(settings), Vifs(settings))] : [];

    /// <summary>
    /// How the host plugs its guests' ports (cloud-actors.compute.vif-driver): linux-bridge makes real devices, memory
    /// only records them, none gives guests no NICs at all; auto is linux-bridge for real guests (libvirt on qemu://)
    /// and memory otherwise.
    /// </summary>
    public static IVifDriver Vifs(NodeSettings settings)
    {
        var compute = settings.Config.GetConfig("cloud-actors.compute");
        var realGuests = compute.GetString("driver") == "libvirt" && compute.GetString("libvirt.uri").StartsWith("qemu://", StringComparison.Ordinal);
        return compute.GetString("vif-driver") switch
        {
            "linux-bridge" => LinuxBridge(settings),
            "memory" or "none" => new InMemoryVifs(),
            "auto" => realGuests ? LinuxBridge(settings) : new InMemoryVifs(),
            var other => throw new ArgumentException($"CLOUD_ACTORS_VIF_DRIVER: '{other}' is not auto, linux-bridge, memory or none"),
        };
    }

    private static LinuxBridgeVifs LinuxBridge(NodeSettings settings)
    {
        var hypervisor = settings.Config.GetString("cloud-actors.compute.hypervisor-netns", "");
        return new LinuxBridgeVifs(settings.NodeName, NodeNetwork.Bridges(settings), hypervisor == "" ? null : new NetNamespace(hypervisor));
    }

    public static ComputeSettings Settings(NodeSettings settings)
    {
        var compute = settings.Config.GetConfig("cloud-actors.compute");
        return new ComputeSettings
        {
            Host = settings.NodeName,
            AvailabilityZone = compute.GetString("availability-zone"),
            RegisterInterval = compute.GetTimeSpan("register-interval"),
            PowerSyncInterval = compute.GetTimeSpan("power-sync-interval"),
            ConsoleTailer = new ConsoleTailerSettings
            {
                PollInterval = compute.GetTimeSpan("console.poll-interval"),
                SaveInterval = compute.GetTimeSpan("console.save-interval"),
            },
            ShutdownTimeout = compute.GetTimeSpan("shutdown-timeout"),
            PassivateAfter = compute.GetTimeSpan("passivate-after"),
            GuestNics = compute.GetString("vif-driver") != "none",
            OrphanAction = compute.GetString("running-deleted-instance-action") switch
            {
                "log" => OrphanAction.Log,
                "reap" => OrphanAction.Reap,
                var other => throw new ArgumentException(
                    $"cloud-actors.compute.running-deleted-instance-action: '{other}' is not log or reap"),
            },
        };
    }

    /// <summary>The host's hypervisor driver and the instance files that go with it (none for the fake).</summary>
    private static (IHypervisor, IInstanceStorage) Driver(ActorSystem system, NodeSettings settings)
    {
        var compute = settings.Config.GetConfig("cloud-actors.compute");
        return compute.GetString("driver") switch
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
            var other => throw new ArgumentException($"CLOUD_ACTORS_DRIVER: unknown driver '{other}' (expected libvirt or fake)"),
        };
    }

    /// <summary>
    /// Nova's libvirt driver on this host: guests on cloud-actors.compute.libvirt.uri, their files in the instances
    /// path, base images fetched from the controllers' image store into its _base cache.
    /// </summary>
    private static (IHypervisor, IInstanceStorage) Libvirt(ActorSystem system, Config compute, NodeSettings settings)
    {
        var instances = NodeImages.InstancesPath(settings);
        Directory.CreateDirectory(instances);
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
        Logging.GetLogger(system, typeof(NodeCompute)).Info("libvirt driver on {0} ({1} domains), instances in {2}",
            options.Uri, domains.Type.ToString().ToLowerInvariant(), instances);
        return (hypervisor, new LocalInstanceStorage(instances, NodeImages.Cache(system, settings), new QemuImg(), new ConfigDrive(),
            compute.GetBoolean("force-config-drive", false)));
    }
}
