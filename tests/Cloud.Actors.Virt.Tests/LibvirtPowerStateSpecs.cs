using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt.Libvirt;

namespace Cloud.Actors.Virt.Tests;

/// <summary>libvirt's states and events in Nova's power states, as nova/virt/libvirt/driver.py maps them.</summary>
public sealed class LibvirtPowerStateSpecs
{
    [Theory]
    [InlineData(0, PowerState.NoState)]   // VIR_DOMAIN_NOSTATE
    [InlineData(1, PowerState.Running)]   // VIR_DOMAIN_RUNNING
    [InlineData(2, PowerState.Running)]   // VIR_DOMAIN_BLOCKED
    [InlineData(3, PowerState.Paused)]    // VIR_DOMAIN_PAUSED
    [InlineData(4, PowerState.Shutdown)]  // VIR_DOMAIN_SHUTDOWN
    [InlineData(5, PowerState.Shutdown)]  // VIR_DOMAIN_SHUTOFF
    [InlineData(6, PowerState.Crashed)]   // VIR_DOMAIN_CRASHED
    [InlineData(7, PowerState.Suspended)] // VIR_DOMAIN_PMSUSPENDED
    [InlineData(99, PowerState.NoState)]  // a state newer than this driver
    public void Domain_state_maps_to_novas_power_state(int domainState, int powerState) =>
        Assert.Equal(powerState, LibvirtPowerState.FromDomainState(domainState));

    [Theory]
    [InlineData(2, PowerState.Running)]   // VIR_DOMAIN_EVENT_STARTED
    [InlineData(3, PowerState.Paused)]    // VIR_DOMAIN_EVENT_SUSPENDED
    [InlineData(4, PowerState.Running)]   // VIR_DOMAIN_EVENT_RESUMED
    [InlineData(5, PowerState.Shutdown)]  // VIR_DOMAIN_EVENT_STOPPED
    [InlineData(7, PowerState.Suspended)] // VIR_DOMAIN_EVENT_PMSUSPENDED
    [InlineData(8, PowerState.Crashed)]   // VIR_DOMAIN_EVENT_CRASHED
    public void Lifecycle_event_maps_to_the_power_state_it_leaves(int eventType, int powerState) =>
        Assert.Equal(powerState, LibvirtPowerState.FromLifecycleEvent(eventType));

    [Theory]
    [InlineData(0)] // VIR_DOMAIN_EVENT_DEFINED
    [InlineData(1)] // VIR_DOMAIN_EVENT_UNDEFINED
    [InlineData(6)] // VIR_DOMAIN_EVENT_SHUTDOWN: shutting down; STOPPED follows
    public void Lifecycle_event_that_does_not_change_power_maps_to_nothing(int eventType) =>
        Assert.Null(LibvirtPowerState.FromLifecycleEvent(eventType));
}
