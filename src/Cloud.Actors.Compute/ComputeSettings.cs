namespace Cloud.Actors.Compute;

/// <summary>How a compute host behaves: its zone, how often it re-registers and syncs power states, its timeouts.</summary>
public sealed record ComputeSettings
{
    public required string Host { get; init; }
    public string AvailabilityZone { get; init; } = "nova";
    public TimeSpan RegisterInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan PowerSyncInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a guest gets to power off after an ACPI request before it is destroyed (Nova: shutdown_timeout).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An instance actor idle this long is stopped and rebuilt from its journal on its next message, so an
    /// idle instance costs a few hundred bytes on its host instead of a live persistent actor. Null: never.
    /// </summary>
    public TimeSpan? PassivateAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// What the power sync does with a guest of this host that no instance owns (Nova's running_deleted_instance_action):
    /// log it, or reap it (destroy, undefine, remove its files).
    /// </summary>
    public OrphanAction OrphanAction { get; init; } = OrphanAction.Log;

    /// <summary>
    /// Whether guests get their ports as NICs. Off (vif-driver = none) where the host cannot plug them where its
    /// hypervisor is: nodes in network namespaces of their own share the machine's one libvirtd, in the root namespace.
    /// </summary>
    public bool GuestNics { get; init; } = true;

    /// <summary>Instance journals are snapshotted every this many events.</summary>
    public int SnapshotEvery { get; init; } = 50;

    /// <summary>How instances follow their console.log (instances of a driver that writes one).</summary>
    public Console.ConsoleTailerSettings ConsoleTailer { get; init; } = new();

    /// <summary>Properties the host offers to the ImagePropertiesFilter (hypervisor_type, architecture ...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}

public enum OrphanAction
{
    /// <summary>Report it in the log and leave it alone.</summary>
    Log,

    /// <summary>Destroy and undefine the domain and remove its instance directory.</summary>
    Reap,
}
