using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Virt.Tests;

/// <summary>
/// What every IHypervisor must do the same way, whatever sits behind it: the fake driver and the libvirt
/// driver each run these specs (FakeHypervisorSpecs, LibvirtHypervisorSpecs), so the fake stays a faithful stand-in.
/// </summary>
public abstract class HypervisorContractSpecs
{
    protected abstract IHypervisor Hypervisor { get; }

    /// <summary>A guest of the spec's own, not yet defined.</summary>
    protected abstract GuestDefinition ContractGuest { get; }

    private async Task Running(GuestDefinition guest)
    {
        await Hypervisor.DefineAsync(guest);
        await Hypervisor.StartAsync(guest.Name);
    }

    [Fact]
    public async Task Defined_guest_is_shut_off()
    {
        await Hypervisor.DefineAsync(ContractGuest);

        Assert.Equal(PowerState.Shutdown, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task Started_guest_is_running()
    {
        await Running(ContractGuest);

        Assert.Equal(PowerState.Running, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task Shut_down_guest_is_shut_off()
    {
        await Running(ContractGuest);

        await Hypervisor.ShutdownAsync(ContractGuest.Name);

        Assert.Equal(PowerState.Shutdown, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task Destroyed_guest_is_shut_off_and_still_defined()
    {
        await Running(ContractGuest);

        await Hypervisor.DestroyAsync(ContractGuest.Name);

        Assert.Equal(PowerState.Shutdown, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task Destroying_a_shut_off_guest_succeeds()
    {
        await Hypervisor.DefineAsync(ContractGuest);

        await Hypervisor.DestroyAsync(ContractGuest.Name);

        Assert.Equal(PowerState.Shutdown, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task Paused_guest_is_paused_and_runs_on_when_unpaused()
    {
        await Running(ContractGuest);

        await Hypervisor.PauseAsync(ContractGuest.Name);
        Assert.Equal(PowerState.Paused, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));

        await Hypervisor.UnpauseAsync(ContractGuest.Name);
        Assert.Equal(PowerState.Running, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task Pausing_a_guest_that_is_off_fails()
    {
        await Hypervisor.DefineAsync(ContractGuest);

        await Assert.ThrowsAsync<HypervisorException>(() => Hypervisor.PauseAsync(ContractGuest.Name));
        Assert.Equal(PowerState.Shutdown, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task Suspended_guest_is_shut_off_and_starts_again_from_its_saved_state()
    {
        await Running(ContractGuest);

        await Hypervisor.SuspendAsync(ContractGuest.Name);
        Assert.Equal(PowerState.Shutdown, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));

        await Hypervisor.StartAsync(ContractGuest.Name);
        Assert.Equal(PowerState.Running, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task Discarding_the_saved_state_of_a_guest_without_one_succeeds()
    {
        await Running(ContractGuest);

        await Hypervisor.DiscardSavedStateAsync(ContractGuest.Name);

        Assert.Equal(PowerState.Running, await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }

    [Fact]
    public async Task A_suspended_guest_can_be_removed_saved_state_and_all()
    {
        await Running(ContractGuest);
        await Hypervisor.SuspendAsync(ContractGuest.Name);

        await Hypervisor.RemoveAsync(ContractGuest.Name);

        Assert.Null(await Hypervisor.GetPowerStateAsync(ContractGuest.Name));
    }
}
