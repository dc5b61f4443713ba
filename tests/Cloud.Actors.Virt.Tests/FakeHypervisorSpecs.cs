using System.Collections.Concurrent;
using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt.Fake;

namespace Cloud.Actors.Virt.Tests;

public sealed class FakeHypervisorSpecs : HypervisorContractSpecs, IDisposable
{
    private static readonly GuestDefinition Guest = new("instance-00000001", Guid.Parse("11111111-2222-3333-4444-555555555555"), "test.novalocal", 512, 1, 1);
    private static readonly GuestDefinition Other = new("instance-00000002", Guid.Parse("66666666-7777-8888-9999-000000000000"), "test.novalocal", 512, 1, 1);

    private readonly FakeHypervisor _hypervisor = new();
    private readonly ConcurrentQueue<GuestLifecycleEvent> _events = new();

    public FakeHypervisorSpecs() => _hypervisor.LifecycleChanged += _events.Enqueue;

    protected override IHypervisor Hypervisor => _hypervisor;
    protected override GuestDefinition ContractGuest => Guest;

    public void Dispose() => _hypervisor.Dispose();

    private async Task<FakeHypervisor> Running(GuestDefinition guest)
    {
        await _hypervisor.DefineAsync(guest);
        await _hypervisor.StartAsync(guest.Name);
        return _hypervisor;
    }

    [Fact]
    public void Reports_its_type_and_configured_size()
    {
        using var hypervisor = new FakeHypervisor(new FakeHypervisorOptions { Hostname = "compute-7", Vcpus = 4, MemoryMb = 2048, DiskGb = 40 });

        Assert.Equal("fake", hypervisor.HypervisorType);
        Assert.Equal(new HostResources("compute-7", 4, 2048, 40), hypervisor.Resources);
    }

    [Fact]
    public async Task Undefined_guest_is_gone()
    {
        await _hypervisor.DefineAsync(Guest);

        await _hypervisor.UndefineAsync(Guest.Name);

        Assert.Null(await _hypervisor.GetPowerStateAsync(Guest.Name));
        Assert.Empty(await _hypervisor.ListAsync());
    }

    [Fact]
    public async Task Undefining_an_unknown_guest_succeeds()
    {
        await _hypervisor.UndefineAsync("instance-000000ff");

        Assert.Empty(await _hypervisor.ListAsync());
    }

    [Fact]
    public async Task Redefining_a_guest_keeps_its_power_state()
    {
        await Running(Guest);

        await _hypervisor.DefineAsync(Guest with { MemoryMb = 1024 });

        Assert.Equal(PowerState.Running, await _hypervisor.GetPowerStateAsync(Guest.Name));
        Assert.Single(await _hypervisor.ListAsync());
    }

    [Fact]
    public async Task List_shows_every_guest_by_name_with_uuid_and_power_state()
    {
        await _hypervisor.DefineAsync(Other);
        await Running(Guest);

        var guests = await _hypervisor.ListAsync();

        Assert.Equal(
        [
            new GuestInfo(Guest.Name, Guest.Uuid, PowerState.Running),
            new GuestInfo(Other.Name, Other.Uuid, PowerState.Shutdown),
        ], guests);
    }

    [Fact]
    public async Task Power_state_of_an_unknown_guest_is_null()
    {
        Assert.Null(await _hypervisor.GetPowerStateAsync("instance-000000ff"));
    }

    public static TheoryData<string> PowerOperations() => new("start", "shutdown", "destroy", "pause", "unpause", "suspend");

    private Task Operate(string operation, string name) => operation switch
    {
        "start" => _hypervisor.StartAsync(name),
        "shutdown" => _hypervisor.ShutdownAsync(name),
        "destroy" => _hypervisor.DestroyAsync(name),
        "pause" => _hypervisor.PauseAsync(name),
        "unpause" => _hypervisor.UnpauseAsync(name),
        "suspend" => _hypervisor.SuspendAsync(name),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    [Theory]
    [MemberData(nameof(PowerOperations))]
    public async Task Power_operation_on_an_unknown_guest_fails_naming_it(string operation)
    {
        var error = await Assert.ThrowsAsync<HypervisorException>(() => Operate(operation, "instance-000000ff"));

        Assert.Contains("instance-000000ff", error.Message);
    }

    [Fact]
    public async Task Starting_a_running_guest_fails()
    {
        await Running(Guest);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(Guest.Name));

        Assert.Contains("already running", error.Message);
    }

    [Fact]
    public async Task Shutting_down_a_guest_that_is_off_fails()
    {
        await _hypervisor.DefineAsync(Guest);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.ShutdownAsync(Guest.Name));

        Assert.Contains("not running", error.Message);
    }

    [Fact]
    public async Task Unpausing_a_running_guest_fails()
    {
        await Running(Guest);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.UnpauseAsync(Guest.Name));

        Assert.Contains("not paused", error.Message);
    }

    [Fact]
    public async Task A_suspended_guest_resumes_without_booting_again_but_boots_once_its_saved_state_is_discarded()
    {
        await Running(Guest);
        var booted = await _hypervisor.GetConsoleOutputAsync(Guest.Name);

        await _hypervisor.SuspendAsync(Guest.Name);
        Assert.True(_hypervisor.HasSavedState(Guest.Name));
        await _hypervisor.StartAsync(Guest.Name);
        Assert.Equal(booted, await _hypervisor.GetConsoleOutputAsync(Guest.Name));
        Assert.False(_hypervisor.HasSavedState(Guest.Name));

        await _hypervisor.SuspendAsync(Guest.Name);
        await _hypervisor.HardRebootAsync(Guest.Name);
        Assert.False(_hypervisor.HasSavedState(Guest.Name));
        Assert.True((await _hypervisor.GetConsoleOutputAsync(Guest.Name)).Length > booted.Length);
    }

    [Fact]
    public async Task Injected_failure_fails_the_next_operation_with_its_message()
    {
        await _hypervisor.DefineAsync(Guest);
        _hypervisor.FailNext("start", Guest.Name, "no space left on device");

        var error = await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(Guest.Name));

        Assert.Equal($"start of '{Guest.Name}' failed: no space left on device", error.Message);
        Assert.Equal(PowerState.Shutdown, await _hypervisor.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Injected_failure_happens_once()
    {
        await _hypervisor.DefineAsync(Guest);
        _hypervisor.FailNext("start", Guest.Name);
        await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(Guest.Name));

        await _hypervisor.StartAsync(Guest.Name);

        Assert.Equal(PowerState.Running, await _hypervisor.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Injected_failure_has_a_default_message()
    {
        await _hypervisor.DefineAsync(Guest);
        _hypervisor.FailNext("start", Guest.Name);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(Guest.Name));

        Assert.Equal($"start of '{Guest.Name}' failed: injected failure", error.Message);
    }

    [Fact]
    public async Task Injected_failure_for_one_guest_leaves_others_alone()
    {
        await _hypervisor.DefineAsync(Guest);
        await _hypervisor.DefineAsync(Other);
        _hypervisor.FailNext("start", Other.Name);

        await _hypervisor.StartAsync(Guest.Name);

        await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(Other.Name));
    }

    [Fact]
    public async Task Injected_failure_for_one_operation_leaves_other_operations_alone()
    {
        await _hypervisor.DefineAsync(Guest);
        _hypervisor.FailNext("shutdown", Guest.Name);

        await _hypervisor.StartAsync(Guest.Name);

        await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.ShutdownAsync(Guest.Name));
    }

    [Fact]
    public async Task Wildcard_failure_fails_the_next_operation_on_any_guest()
    {
        await _hypervisor.DefineAsync(Guest);
        await _hypervisor.DefineAsync(Other);
        _hypervisor.FailNext("start", "*");

        await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(Other.Name));
        await _hypervisor.StartAsync(Guest.Name);

        Assert.Equal(PowerState.Running, await _hypervisor.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Failed_define_leaves_no_guest()
    {
        _hypervisor.FailNext("define", Guest.Name);

        await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.DefineAsync(Guest));

        Assert.Null(await _hypervisor.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Failed_undefine_keeps_the_guest()
    {
        await _hypervisor.DefineAsync(Guest);
        _hypervisor.FailNext("undefine", Guest.Name);

        await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.UndefineAsync(Guest.Name));

        Assert.NotNull(await _hypervisor.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Injected_list_failure_fails_the_listing()
    {
        _hypervisor.FailNext("list", "*");

        await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.ListAsync());
    }

    [Fact]
    public async Task Operation_with_latency_is_still_pending_right_after_the_call()
    {
        using var slow = new FakeHypervisor(new FakeHypervisorOptions { Latency = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource();

        var define = slow.DefineAsync(Guest, cancel.Token);
        Assert.False(define.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => define);
    }

    [Fact]
    public async Task Cancelled_operation_has_no_effect()
    {
        using var slow = new FakeHypervisor(new FakeHypervisorOptions { Latency = TimeSpan.FromMilliseconds(1) });
        using var cancel = new CancellationTokenSource();
        await slow.DefineAsync(Guest);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.StartAsync(Guest.Name, cancel.Token));

        Assert.Equal(PowerState.Shutdown, await slow.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Operation_with_latency_completes()
    {
        using var slow = new FakeHypervisor(new FakeHypervisorOptions { Latency = TimeSpan.FromMilliseconds(5) });

        await slow.DefineAsync(Guest);
        await slow.StartAsync(Guest.Name);

        Assert.Equal(PowerState.Running, await slow.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Defining_fires_no_lifecycle_event()
    {
        await _hypervisor.DefineAsync(Guest);

        Assert.Empty(_events);
    }

    [Fact]
    public async Task Power_changes_fire_lifecycle_events_with_the_new_power_state()
    {
        await Running(Guest);
        await _hypervisor.PauseAsync(Guest.Name);
        await _hypervisor.UnpauseAsync(Guest.Name);
        await _hypervisor.ShutdownAsync(Guest.Name);
        await _hypervisor.StartAsync(Guest.Name);
        await _hypervisor.DestroyAsync(Guest.Name);

        Assert.Equal(
        [
            new GuestLifecycleEvent(Guest.Name, Guest.Uuid, PowerState.Running),
            new GuestLifecycleEvent(Guest.Name, Guest.Uuid, PowerState.Paused),
            new GuestLifecycleEvent(Guest.Name, Guest.Uuid, PowerState.Running),
            new GuestLifecycleEvent(Guest.Name, Guest.Uuid, PowerState.Shutdown),
            new GuestLifecycleEvent(Guest.Name, Guest.Uuid, PowerState.Running),
            new GuestLifecycleEvent(Guest.Name, Guest.Uuid, PowerState.Shutdown),
        ], _events);
    }

    [Fact]
    public async Task Failed_operation_fires_no_lifecycle_event()
    {
        await _hypervisor.DefineAsync(Guest);
        _hypervisor.FailNext("start", Guest.Name);

        await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(Guest.Name));

        Assert.Empty(_events);
    }

    [Fact]
    public async Task Disposed_hypervisor_fires_no_more_events()
    {
        await _hypervisor.DefineAsync(Guest);
        _hypervisor.Dispose();

        await _hypervisor.StartAsync(Guest.Name);

        Assert.Empty(_events);
    }

    [Fact]
    public async Task Guest_powering_itself_off_is_shut_off_and_fires_an_event()
    {
        await Running(Guest);

        _hypervisor.SimulateGuestPowerOff(Guest.Name);

        Assert.Equal(PowerState.Shutdown, await _hypervisor.GetPowerStateAsync(Guest.Name));
        Assert.Equal(new GuestLifecycleEvent(Guest.Name, Guest.Uuid, PowerState.Shutdown), _events.Last());
    }

    [Fact]
    public void Unknown_guest_cannot_power_itself_off()
    {
        Assert.Throws<HypervisorException>(() => _hypervisor.SimulateGuestPowerOff("instance-000000ff"));
    }

    [Fact]
    public async Task Guest_that_powered_itself_off_can_be_started_again()
    {
        await Running(Guest);
        _hypervisor.SimulateGuestPowerOff(Guest.Name);

        await _hypervisor.StartAsync(Guest.Name);

        Assert.Equal(PowerState.Running, await _hypervisor.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Guests_are_not_shared_between_in_memory_hypervisors()
    {
        await _hypervisor.DefineAsync(Guest);

        using var another = new FakeHypervisor();

        Assert.Empty(await another.ListAsync());
    }
}
