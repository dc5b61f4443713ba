using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Domain.Tests;

/// <summary>How <see cref="InstanceState.Apply"/> folds an instance's events into its state.</summary>
public class InstanceApplySpecs
{
    private static InstanceState Fold(InstanceState start, params IInstanceEvent[] events) =>
        events.Aggregate(start, (state, e) => state.Apply(e));

    private static InstanceState Requested() => InstanceState.Requested(Given.Spec());

    private static InstanceState Booted() => Fold(Requested(),
        new InstanceAccepted(Given.Spec(), "compute-1", Given.At(1)),
        new TaskStarted(TaskState.BlockDeviceMapping, Given.At(2)),
        new TaskStarted(TaskState.Spawning, Given.At(3)),
        new InstanceSpawned(Given.At(4)));

    private static InstanceState Stopped() => Fold(Booted(),
        new TaskStarted(TaskState.PoweringOff, Given.At(10)),
        new InstanceStopped(PowerState.Shutdown, Given.At(11)));

    private static Fault SomeFault() => new("Build of instance failed", 500, "disk full", Given.At(20));

    [Fact]
    public void A_requested_instance_is_building_and_scheduling_with_no_host()
    {
        var state = Requested();

        Assert.Equal((VmState.Building, TaskState.Scheduling, PowerState.NoState), (state.VmState, state.TaskState, state.PowerState));
        Assert.Null(state.Host);
        Assert.Equal(Given.CreatedAt, state.UpdatedAt);
        Assert.Equal("BUILD", state.Status);
    }

    [Fact]
    public void Accepting_the_build_places_it_on_the_host_and_starts_networking()
    {
        var state = Requested().Apply(new InstanceAccepted(Given.Spec(), "compute-1", Given.At(1)));

        Assert.Equal("compute-1", state.Host);
        Assert.Equal(VmState.Building, state.VmState);
        Assert.Equal(TaskState.Networking, state.TaskState);
    }

    [Fact]
    public void Spawning_task_keeps_the_instance_building()
    {
        var state = Fold(Requested(),
            new InstanceAccepted(Given.Spec(), "compute-1", Given.At(1)),
            new TaskStarted(TaskState.BlockDeviceMapping, Given.At(2)),
            new TaskStarted(TaskState.Spawning, Given.At(3)));

        Assert.Equal((VmState.Building, TaskState.Spawning), (state.VmState, state.TaskState));
        Assert.Equal("BUILD", state.Status);
    }

    [Fact]
    public void Full_boot_sequence_ends_active_idle_running_with_launched_at()
    {
        var state = Booted();

        Assert.Equal(VmState.Active, state.VmState);
        Assert.Null(state.TaskState);
        Assert.Equal(1, state.PowerState);
        Assert.Equal(Given.At(4), state.LaunchedAt);
        Assert.Null(state.TerminatedAt);
        Assert.Null(state.Fault);
        Assert.Equal("ACTIVE", state.Status);
        Assert.True(state.IsIdle);
    }

    [Fact]
    public void Stop_ends_stopped_with_power_state_shutdown()
    {
        var state = Stopped();

        Assert.Equal(VmState.Stopped, state.VmState);
        Assert.Null(state.TaskState);
        Assert.Equal(4, state.PowerState);
        Assert.Equal("SHUTOFF", state.Status);
    }

    [Fact]
    public void Pause_shows_paused_with_power_state_paused_and_unpause_makes_it_active_again()
    {
        var paused = Fold(Booted(), new TaskStarted(TaskState.Pausing, Given.At(10)), new InstancePaused(Given.At(11)));
        Assert.Equal((VmState.Paused, (string?)null, PowerState.Paused, "PAUSED"), (paused.VmState, paused.TaskState, paused.PowerState, paused.Status));

        var unpaused = Fold(paused, new TaskStarted(TaskState.Unpausing, Given.At(12)), new InstanceUnpaused(Given.At(13)));
        Assert.Equal((VmState.Active, (string?)null, PowerState.Running, "ACTIVE"), (unpaused.VmState, unpaused.TaskState, unpaused.PowerState, unpaused.Status));
    }

    [Fact]
    public void Suspend_shows_suspended_with_power_state_shutdown_and_resume_makes_it_active_again()
    {
        var suspending = Fold(Booted(), new TaskStarted(TaskState.Suspending, Given.At(10)));
        Assert.Equal("ACTIVE", suspending.Status);
        var suspended = suspending.Apply(new InstanceSuspended(Given.At(11)));
        Assert.Equal((VmState.Suspended, PowerState.Shutdown, "SUSPENDED"), (suspended.VmState, suspended.PowerState, suspended.Status));

        var resumed = Fold(suspended, new TaskStarted(TaskState.Resuming, Given.At(12)), new InstanceResumed(Given.At(13)));
        Assert.Equal((VmState.Active, (string?)null, PowerState.Running, Given.At(4)), (resumed.VmState, resumed.TaskState, resumed.PowerState, resumed.LaunchedAt));
    }

    [Fact]
    public void A_rebuild_takes_the_new_image_shows_REBUILD_and_ends_as_the_instance_was_with_a_new_launched_at()
    {
        var image = new InstanceImage("otra-id", "otra", new Dictionary<string, string>());
        var rebuilding = Booted().Apply(new InstanceRebuildStarted(image, Given.At(10)));
        Assert.Equal((image, "REBUILD", TaskState.Rebuilding), (rebuilding.Spec.Image, rebuilding.Status, rebuilding.TaskState));

        var active = rebuilding.Apply(new InstanceRebuilt(PowerState.Running, Given.At(11)));
        Assert.Equal((VmState.Active, "ACTIVE", PowerState.Running, Given.At(11)), (active.VmState, active.Status, active.PowerState, active.LaunchedAt));

        var stopped = Fold(Stopped(), new InstanceRebuildStarted(image, Given.At(12)), new InstanceRebuilt(PowerState.Shutdown, Given.At(13)));
        Assert.Equal((VmState.Stopped, "SHUTOFF", image), (stopped.VmState, stopped.Status, stopped.Spec.Image));
    }

    [Fact]
    public void Start_of_a_stopped_instance_ends_active_running()
    {
        var state = Fold(Stopped(),
            new TaskStarted(TaskState.PoweringOn, Given.At(12)),
            new InstanceStarted(Given.At(13)));

        Assert.Equal((VmState.Active, (string?)null, PowerState.Running), (state.VmState, state.TaskState, state.PowerState));
        Assert.Equal("ACTIVE", state.Status);
    }

    [Fact]
    public void Launched_at_is_kept_across_stop_and_start()
    {
        var state = Fold(Stopped(), new TaskStarted(TaskState.PoweringOn, Given.At(12)), new InstanceStarted(Given.At(13)));

        Assert.Equal(Given.At(4), state.LaunchedAt);
    }

    [Fact]
    public void Soft_reboot_shows_reboot_then_active()
    {
        var rebooting = Booted().Apply(new TaskStarted(TaskState.Rebooting, Given.At(10)));
        Assert.Equal("REBOOT", rebooting.Status);

        var rebooted = rebooting.Apply(new InstanceRebooted(Given.At(11)));
        Assert.Equal((VmState.Active, (string?)null, PowerState.Running), (rebooted.VmState, rebooted.TaskState, rebooted.PowerState));
        Assert.Equal("ACTIVE", rebooted.Status);
    }

    [Fact]
    public void Hard_reboot_of_an_errored_instance_makes_it_active_and_clears_the_fault()
    {
        var state = Fold(Booted(),
            new InstanceFailed(SomeFault(), PowerState.Shutdown, Given.At(20)),
            new TaskStarted(TaskState.RebootingHard, Given.At(21)),
            new InstanceRebooted(Given.At(22)));

        Assert.Equal(VmState.Active, state.VmState);
        Assert.Null(state.Fault);
    }

    [Fact]
    public void Failure_ends_in_error_with_the_fault_and_reported_power_state()
    {
        var fault = SomeFault();
        var state = Fold(Requested(),
            new InstanceAccepted(Given.Spec(), "compute-1", Given.At(1)),
            new TaskStarted(TaskState.Spawning, Given.At(2)),
            new InstanceFailed(fault, PowerState.NoState, Given.At(3)));

        Assert.Equal(VmState.Error, state.VmState);
        Assert.Null(state.TaskState);
        Assert.Equal(PowerState.NoState, state.PowerState);
        Assert.Equal(fault, state.Fault);
        Assert.Equal("ERROR", state.Status);
    }

    [Fact]
    public void Delete_ends_deleted_with_terminated_at_and_no_power()
    {
        var state = Fold(Booted(),
            new TaskStarted(TaskState.Deleting, Given.At(30)),
            new InstanceDeleted(Given.At(31)));

        Assert.Equal(VmState.Deleted, state.VmState);
        Assert.Null(state.TaskState);
        Assert.Equal(PowerState.NoState, state.PowerState);
        Assert.Equal(Given.At(31), state.TerminatedAt);
        Assert.True(state.IsDeleted);
        Assert.Equal("DELETED", state.Status);
    }

    [Fact]
    public void Reverted_task_is_cleared_and_vm_state_kept()
    {
        var state = Fold(Booted(),
            new TaskStarted(TaskState.PoweringOff, Given.At(10)),
            new TaskReverted("hypervisor refused", Given.At(11)));

        Assert.Equal(VmState.Active, state.VmState);
        Assert.Null(state.TaskState);
        Assert.Equal(PowerState.Running, state.PowerState);
    }

    [Fact]
    public void Power_state_sync_changes_only_the_power_state()
    {
        var before = Booted();
        var after = before.Apply(new PowerStateSynced(PowerState.Crashed, Given.At(40)));

        Assert.Equal(before with { PowerState = PowerState.Crashed, UpdatedAt = Given.At(40) }, after);
    }

    [Fact]
    public void Rescheduled_build_goes_back_to_scheduling_without_a_host()
    {
        var state = Fold(Requested(),
            new InstanceAccepted(Given.Spec(), "compute-1", Given.At(1)),
            new TaskStarted(TaskState.Spawning, Given.At(2)),
            new InstanceRescheduled("spawn failed", Given.At(3)));

        Assert.Equal((VmState.Building, TaskState.Scheduling), (state.VmState, state.TaskState));
        Assert.Null(state.Host);
    }

    [Fact]
    public void Renamed_changes_only_the_display_name()
    {
        var before = Booted();
        var after = before.Apply(new InstanceRenamed("renamed", Given.At(9)));

        Assert.Equal("renamed", after.Spec.Name);
        Assert.Equal(before.Spec with { Name = "renamed" }, after.Spec);
        Assert.Equal((before.VmState, before.PowerState, before.TaskState), (after.VmState, after.PowerState, after.TaskState));
    }

    public static TheoryData<IInstanceEvent> EveryEvent() => new(
        new InstanceAccepted(Given.Spec(), "compute-1", Given.At(77)),
        new TaskStarted(TaskState.PoweringOff, Given.At(77)),
        new InstanceSpawned(Given.At(77)),
        new InstanceStopped(PowerState.Shutdown, Given.At(77)),
        new InstanceStarted(Given.At(77)),
        new InstanceRebooted(Given.At(77)),
        new PowerStateSynced(PowerState.Shutdown, Given.At(77)),
        new TaskReverted("x", Given.At(77)),
        new InstanceFailed(new Fault("m", 500, "d", Given.At(77)), 0, Given.At(77)),
        new InstanceRescheduled("x", Given.At(77)),
        new InstanceDeleted(Given.At(77)),
        new ConsoleLoginPromptSeen(Given.At(77)),
        new InstanceRenamed("renamed", Given.At(77)));

    [Theory]
    [MemberData(nameof(EveryEvent))]
    public void Updated_at_follows_each_event(IInstanceEvent evt)
    {
        var state = Booted().Apply(evt);

        Assert.Equal(Given.At(77), state.UpdatedAt);
    }

    [Fact]
    public void The_first_login_prompt_on_the_console_is_recorded()
    {
        var state = Booted();
        Assert.Null(state.LoginPromptAt);

        state = state.Apply(new ConsoleLoginPromptSeen(Given.At(30)));

        Assert.Equal(Given.At(30), state.LoginPromptAt);
        Assert.Equal((VmState.Active, (string?)null), (state.VmState, state.TaskState));
    }

    [Fact]
    public void A_later_login_prompt_does_not_move_the_first()
    {
        var state = Fold(Booted(),
            new ConsoleLoginPromptSeen(Given.At(30)),
            new TaskStarted(TaskState.RebootingHard, Given.At(40)),
            new InstanceRebooted(Given.At(41)),
            new ConsoleLoginPromptSeen(Given.At(60)));

        Assert.Equal(Given.At(30), state.LoginPromptAt);
    }

    [Fact]
    public void Unknown_event_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Booted().Apply(new UnknownEvent(Given.At(1))));
    }

    private sealed record UnknownEvent(DateTimeOffset At) : IInstanceEvent;
}
