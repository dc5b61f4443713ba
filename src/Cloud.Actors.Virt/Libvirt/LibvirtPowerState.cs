using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>libvirt's domain states and lifecycle events in Nova's power states, as nova/virt/libvirt/driver.py maps them.</summary>
public static class LibvirtPowerState
{
    /// <summary>virDomainState to power_state (Nova's LIBVIRT_POWER_STATE).</summary>
    public static int FromDomainState(int state) => state switch
    {
        0 => PowerState.NoState,     // VIR_DOMAIN_NOSTATE
        1 => PowerState.Running,     // VIR_DOMAIN_RUNNING
        2 => PowerState.Running,     // VIR_DOMAIN_BLOCKED: running with an idle vCPU (Xen only)
        3 => PowerState.Paused,      // VIR_DOMAIN_PAUSED
        // VIR_DOMAIN_SHUTDOWN means "being shut down", so the guest technically still runs; Nova reports it as
        // SHUTDOWN all the same, since the guest has agreed to go down and nothing will stop it now.
        4 => PowerState.Shutdown,
        5 => PowerState.Shutdown,    // VIR_DOMAIN_SHUTOFF
        6 => PowerState.Crashed,     // VIR_DOMAIN_CRASHED
        7 => PowerState.Suspended,   // VIR_DOMAIN_PMSUSPENDED
        _ => PowerState.NoState,
    };

    /// <summary>
    /// virDomainEventType to the power state it leaves the guest in (Nova's libvirt host event handler), or
    /// null for events that do not change power: DEFINED, UNDEFINED, and SHUTDOWN (the guest began shutting
    /// down; STOPPED follows when it is off).
    /// </summary>
    public static int? FromLifecycleEvent(int eventType) => eventType switch
    {
        2 => PowerState.Running,     // VIR_DOMAIN_EVENT_STARTED
        3 => PowerState.Paused,      // VIR_DOMAIN_EVENT_SUSPENDED
        4 => PowerState.Running,     // VIR_DOMAIN_EVENT_RESUMED
        5 => PowerState.Shutdown,    // VIR_DOMAIN_EVENT_STOPPED
        7 => PowerState.Suspended,   // VIR_DOMAIN_EVENT_PMSUSPENDED
        8 => PowerState.Crashed,     // VIR_DOMAIN_EVENT_CRASHED
        _ => null,
    };
}
