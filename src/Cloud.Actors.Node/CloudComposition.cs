using Akka.Actor;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Node;

/// <summary>How a node finds its cluster.</summary>
public enum ClusterFormation
{
    /// <summary>Akka.Management's cluster bootstrap over the configured contact points (the node program).</summary>
    Bootstrap,

    /// <summary>The node joins itself: a cluster of one (an in-process cloud).</summary>
    JoinSelf,

    /// <summary>Nothing is joined at start; the caller joins (in-process clusters of several actor systems).</summary>
    Manual,
}

/// <summary>Where the journal and snapshots go.</summary>
public enum JournalChoice
{
    /// <summary>Akka.Persistence.Sql on what the settings name (cloud-actors.persistence: sqlite or postgres).</summary>
    Settings,

    /// <summary>Akka's in-memory journal and snapshot store: nothing outlives the actor system (specs, benchmarks of the actors alone).</summary>
    InMemory,
}

/// <summary>
/// One compute host of a node: the name it registers under, the name of its actor under /user, its hypervisor and
/// instance storage (made once the actor system runs, as the libvirt driver's image cache needs it), its settings, and
/// how it plugs its guests' ports (null: in memory, for guests without real NICs).
/// </summary>
public sealed record ComputeHostSpec(
    string ActorName,
    Func<ActorSystem, (IHypervisor Hypervisor, IInstanceStorage Storage)> Driver,
    ComputeSettings Settings,
    IVifDriver? Vifs = null);

/// <summary>
/// What differs between a node process and an in-process cloud; everything else (singletons, proxies, services,
/// health checks) is composed the same way by <see cref="CloudActorsHosting.WithCloudActors"/>.
/// </summary>
public sealed class CloudComposition
{
    public static readonly CloudComposition Node = new();

    public ClusterFormation Formation { get; init; } = ClusterFormation.Bootstrap;

    public JournalChoice Journal { get; init; } = JournalChoice.Settings;

    /// <summary>The compute hosts to run; null: the node's one host from its settings (at /user/compute) when it has the compute role.</summary>
    public IReadOnlyList<ComputeHostSpec>? ComputeHosts { get; init; }

    /// <summary>The Akka.Management endpoint (cluster bootstrap's contact point); on by default with <see cref="ClusterFormation.Bootstrap"/>.</summary>
    public bool Management => Formation == ClusterFormation.Bootstrap;
}
