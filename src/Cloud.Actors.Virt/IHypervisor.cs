namespace Cloud.Actors.Virt;

/// <summary>
/// What a compute host needs from its hypervisor, after nova/virt/driver.py: define a guest, power it,
/// read its state, list what is defined, and hear about lifecycle changes. One real implementation
/// (libvirt) and one fake (in memory) sit behind it.
/// </summary>
public interface IHypervisor : IDisposable
{
    /// <summary>The hypervisor_type shown by hypervisor-list, e.g. QEMU or fake.</summary>
    string HypervisorType { get; }

    HostResources Resources { get; }

    Task DefineAsync(GuestDefinition guest, CancellationToken ct = default);
    Task StartAsync(string name, CancellationToken ct = default);

    /// <summary>Asks the guest to power off (ACPI); returns at once, the guest may take its time.</summary>
    Task ShutdownAsync(string name, CancellationToken ct = default);

    /// <summary>Pulls the plug. Succeeds on a guest that is already off.</summary>
    Task DestroyAsync(string name, CancellationToken ct = default);

    /// <summary>Halts a running guest's vCPUs; its memory stays in the running process (Nova's pause).</summary>
    Task PauseAsync(string name, CancellationToken ct = default);

    /// <summary>Lets a paused guest run on.</summary>
    Task UnpauseAsync(string name, CancellationToken ct = default);

    /// <summary>
    /// Saves a running (or paused) guest's memory to disk and ends its process (Nova's suspend: libvirt's managed
    /// save). The next <see cref="StartAsync"/> restores it where it was instead of booting it.
    /// </summary>
    Task SuspendAsync(string name, CancellationToken ct = default);

    /// <summary>Forgets a suspended guest's saved memory, so the next start boots it afresh. Succeeds when there is none.</summary>
    Task DiscardSavedStateAsync(string name, CancellationToken ct = default);

    /// <summary>Removes the definition. Succeeds on a guest that is not defined.</summary>
    Task UndefineAsync(string name, CancellationToken ct = default);

    /// <summary>The guest's power state (Nova's values), or null when no such guest is defined.</summary>
    Task<int?> GetPowerStateAsync(string name, CancellationToken ct = default);

    Task<IReadOnlyList<GuestInfo>> ListAsync(CancellationToken ct = default);

    /// <summary>What the guest has written to its serial console so far.</summary>
    Task<string> GetConsoleOutputAsync(string name, CancellationToken ct = default);

    /// <summary>Lifecycle changes (started, stopped, crashed ...) of any guest, on the hypervisor's own thread.</summary>
    event Action<GuestLifecycleEvent>? LifecycleChanged;
}

/// <summary>What a host offers to the scheduler.</summary>
public sealed record HostResources(string HypervisorHostname, int Vcpus, long MemoryMb, long DiskGb);

/// <summary>
/// The guest to define: named instance-%08x, identified by the instance uuid. <paramref name="Disks"/> are the files
/// the spawn prepared on the host; a driver that keeps no files (the fake) gets none. <paramref name="Nics"/> are its
/// network interfaces, in the order the guest sees them (eth0 first), plugged on the host before the guest is defined.
/// </summary>
public sealed record GuestDefinition(string Name, Guid Uuid, string Hostname, long MemoryMb, int Vcpus, int RootGb, GuestDisks? Disks = null,
    IReadOnlyList<Networking.GuestNic>? Nics = null);

public sealed record GuestInfo(string Name, Guid Uuid, int PowerState);

public sealed record GuestLifecycleEvent(string Name, Guid Uuid, int PowerState);

/// <summary>A hypervisor operation failed; the message says which guest and why.</summary>
public sealed class HypervisorException(string message, Exception? inner = null) : Exception(message, inner);
