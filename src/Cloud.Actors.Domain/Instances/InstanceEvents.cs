namespace Cloud.Actors.Domain.Instances;

/// <summary>What an InstanceActor persists. Small records; <see cref="InstanceState.Apply"/> folds them.</summary>
public interface IInstanceEvent
{
    DateTimeOffset At { get; }
}

/// <summary>A compute host took the build: the instance now lives on <paramref name="Host"/> and is being networked.</summary>
public sealed record InstanceAccepted(InstanceSpec Spec, string Host, DateTimeOffset At) : IInstanceEvent;

/// <summary>A task began (networking, spawning, powering-off, rebooting, deleting ...).</summary>
public sealed record TaskStarted(string Task, DateTimeOffset At) : IInstanceEvent;

/// <summary>The guest is running for the first time.</summary>
public sealed record InstanceSpawned(DateTimeOffset At) : IInstanceEvent;

public sealed record InstanceStopped(int PowerState, DateTimeOffset At) : IInstanceEvent;

public sealed record InstanceStarted(DateTimeOffset At) : IInstanceEvent;

public sealed record InstanceRebooted(DateTimeOffset At) : IInstanceEvent;

/// <summary>The guest's vCPUs are halted, its memory kept in the running qemu (Nova's pause).</summary>
public sealed record InstancePaused(DateTimeOffset At) : IInstanceEvent;

public sealed record InstanceUnpaused(DateTimeOffset At) : IInstanceEvent;

/// <summary>The guest's memory was saved to disk and its qemu ended (Nova's suspend: libvirt's managed save).</summary>
public sealed record InstanceSuspended(DateTimeOffset At) : IInstanceEvent;

/// <summary>The guest runs again from its saved memory.</summary>
public sealed record InstanceResumed(DateTimeOffset At) : IInstanceEvent;

/// <summary>A rebuild began (Nova's rebuild): the instance's image is now <paramref name="Image"/>; its disk is made anew from it.</summary>
public sealed record InstanceRebuildStarted(InstanceImage Image, DateTimeOffset At) : IInstanceEvent;

/// <summary>The rebuilt guest is defined on its new disk: running, or shut off when the instance was stopped before.</summary>
public sealed record InstanceRebuilt(int PowerState, DateTimeOffset At) : IInstanceEvent;

/// <summary>The hypervisor reported a power state different from the recorded one.</summary>
public sealed record PowerStateSynced(int PowerState, DateTimeOffset At) : IInstanceEvent;

/// <summary>An action failed without harming the instance: the task is cleared, vm_state stays.</summary>
public sealed record TaskReverted(string Reason, DateTimeOffset At) : IInstanceEvent;

/// <summary>The instance is broken: vm_state error with a fault.</summary>
public sealed record InstanceFailed(Fault Fault, int PowerState, DateTimeOffset At) : IInstanceEvent;

/// <summary>The spawn failed here and the build goes to another host; this host forgets the instance.</summary>
public sealed record InstanceRescheduled(string Reason, DateTimeOffset At) : IInstanceEvent;

public sealed record InstanceDeleted(DateTimeOffset At) : IInstanceEvent;

/// <summary>
/// The guest's serial console first showed a login prompt: the moment the guest became usable, which
/// launched_at (when the hypervisor started it) does not tell. Recorded once; later boots do not move it.
/// </summary>
public sealed record ConsoleLoginPromptSeen(DateTimeOffset At) : IInstanceEvent;

/// <summary>The user renamed the instance (Nova's server update): only its display name changes.</summary>
public sealed record InstanceRenamed(string Name, DateTimeOffset At) : IInstanceEvent;

/// <summary>The user changed the instance's access IPs or description (Nova's server update): shown from now on.</summary>
public sealed record InstanceAttributesChanged(ServerAttributes Attributes, DateTimeOffset At) : IInstanceEvent;

/// <summary>Nova's instance fault: what went wrong, shown by `show` on an ERROR instance.</summary>
public sealed record Fault(string Message, int Code, string Details, DateTimeOffset Created);
