using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Domain.Tests;

/// <summary>
/// Nova's check_instance_state rules (nova/compute/api.py) as <see cref="InstanceState.Decide"/> applies them.
/// The tables below are written out from Nova, not derived from the code under test.
/// </summary>
public class InstanceDecideSpecs
{
    private static readonly DateTimeOffset Now = Given.At(30);

    private static readonly string[] LiveVmStates =
        [VmState.Building, VmState.Active, VmState.Stopped, VmState.Paused, VmState.Suspended, VmState.Error];

    private static readonly string?[] AllTaskStates =
    [
        null, TaskState.Scheduling, TaskState.Networking, TaskState.BlockDeviceMapping, TaskState.Spawning,
        TaskState.PoweringOff, TaskState.PoweringOn, TaskState.Rebooting, TaskState.RebootPending,
        TaskState.RebootStarted, TaskState.RebootingHard, TaskState.RebootPendingHard, TaskState.RebootStartedHard,
        TaskState.Deleting, TaskState.Pausing, TaskState.Unpausing, TaskState.Suspending, TaskState.Resuming,
        TaskState.Rebuilding, TaskState.RebuildBlockDeviceMapping, TaskState.RebuildSpawning,
    ];

    private static readonly InstanceAction[] AllActions =
    [
        InstanceAction.Stop, InstanceAction.Start, InstanceAction.Reboot, InstanceAction.RebootHard, InstanceAction.Delete,
        InstanceAction.Pause, InstanceAction.Unpause, InstanceAction.Suspend, InstanceAction.Resume, InstanceAction.Rebuild,
    ];

    /// <summary>vm_states each action accepts (Nova's decorators).</summary>
    private static readonly Dictionary<InstanceAction, string[]> AllowedVmStates = new()
    {
        [InstanceAction.Stop] = ["active", "error"],
        [InstanceAction.Start] = ["stopped"],
        [InstanceAction.Reboot] = ["active"],
        [InstanceAction.RebootHard] = ["active", "stopped", "paused", "suspended", "error"],
        [InstanceAction.Delete] = ["building", "active", "stopped", "paused", "suspended", "error"],
        [InstanceAction.Pause] = ["active"],
        [InstanceAction.Unpause] = ["paused"],
        [InstanceAction.Suspend] = ["active"],
        [InstanceAction.Resume] = ["suspended"],
        [InstanceAction.Rebuild] = ["active", "stopped", "error"],
    };

    /// <summary>task_states each action accepts; delete accepts any (and is idempotent while deleting).</summary>
    private static readonly Dictionary<InstanceAction, string?[]> AllowedTaskStates = new()
    {
        [InstanceAction.Stop] = [null],
        [InstanceAction.Start] = [null],
        [InstanceAction.Reboot] = [null],
        [InstanceAction.RebootHard] = [null, "rebooting", "reboot_pending", "reboot_started", "rebooting_hard"],
        [InstanceAction.Delete] = AllTaskStates,
        [InstanceAction.Pause] = [null],
        [InstanceAction.Unpause] = [null],
        [InstanceAction.Suspend] = [null],
        [InstanceAction.Resume] = [null],
        [InstanceAction.Rebuild] = [null],
    };

    private static readonly Dictionary<InstanceAction, string> StartedTask = new()
    {
        [InstanceAction.Stop] = "powering-off",
        [InstanceAction.Start] = "powering-on",
        [InstanceAction.Reboot] = "rebooting",
        [InstanceAction.RebootHard] = "rebooting_hard",
        [InstanceAction.Delete] = "deleting",
        [InstanceAction.Pause] = "pausing",
        [InstanceAction.Unpause] = "unpausing",
        [InstanceAction.Suspend] = "suspending",
        [InstanceAction.Resume] = "resuming",
        [InstanceAction.Rebuild] = "rebuilding",
    };

    private static readonly Dictionary<InstanceAction, string> ApiName = new()
    {
        [InstanceAction.Stop] = "stop",
        [InstanceAction.Start] = "start",
        [InstanceAction.Reboot] = "reboot",
        [InstanceAction.RebootHard] = "reboot",
        [InstanceAction.Delete] = "delete",
        [InstanceAction.Pause] = "pause",
        [InstanceAction.Unpause] = "unpause",
        [InstanceAction.Suspend] = "suspend",
        [InstanceAction.Resume] = "resume",
        [InstanceAction.Rebuild] = "rebuild",
    };

    private static bool IsLegal(InstanceAction action, string vm, string? task) =>
        AllowedVmStates[action].Contains(vm) && AllowedTaskStates[action].Contains(task)
        && !(action == InstanceAction.Delete && task == TaskState.Deleting);

    private static IEnumerable<(InstanceAction Action, string Vm, string? Task)> Everything() =>
        from action in AllActions from vm in LiveVmStates from task in AllTaskStates select (action, vm, task);

    public static TheoryData<InstanceAction, string, string?, string> LegalCombinations()
    {
        var data = new TheoryData<InstanceAction, string, string?, string>();
        foreach (var (action, vm, task) in Everything().Where(c => IsLegal(c.Action, c.Vm, c.Task)))
            data.Add(action, vm, task, StartedTask[action]);
        return data;
    }

    public static TheoryData<InstanceAction, string, string?> WrongVmState()
    {
        var data = new TheoryData<InstanceAction, string, string?>();
        foreach (var (action, vm, task) in Everything().Where(c => !AllowedVmStates[c.Action].Contains(c.Vm)))
            data.Add(action, vm, task);
        return data;
    }

    public static TheoryData<InstanceAction, string, string?> WrongTaskState()
    {
        var data = new TheoryData<InstanceAction, string, string?>();
        foreach (var (action, vm, task) in Everything()
                     .Where(c => AllowedVmStates[c.Action].Contains(c.Vm) && !AllowedTaskStates[c.Action].Contains(c.Task)))
            data.Add(action, vm, task);
        return data;
    }

    public static TheoryData<InstanceAction> Actions() => new(AllActions);

    [Theory]
    [MemberData(nameof(LegalCombinations))]
    public void Legal_action_starts_its_task(InstanceAction action, string vmState, string? taskState, string expectedTask)
    {
        var decision = Given.Instance(vmState, taskState).Decide(action, Now);

        Assert.True(decision.Accepted);
        Assert.False(decision.AlreadyInProgress);
        Assert.Equal(new TaskStarted(expectedTask, Now), decision.Event);
    }

    [Theory]
    [MemberData(nameof(WrongVmState))]
    public void Action_in_a_disallowed_vm_state_is_a_conflict_naming_the_vm_state(InstanceAction action, string vmState, string? taskState)
    {
        var decision = Given.Instance(vmState, taskState).Decide(action, Now);

        Assert.False(decision.Accepted);
        Assert.Null(decision.Event);
        Assert.Equal($"Cannot '{ApiName[action]}' instance {Given.Id} while it is in vm_state {vmState}", decision.Conflict);
    }

    [Theory]
    [MemberData(nameof(WrongTaskState))]
    public void Action_in_a_disallowed_task_state_is_a_conflict_naming_the_task_state(InstanceAction action, string vmState, string? taskState)
    {
        var decision = Given.Instance(vmState, taskState).Decide(action, Now);

        Assert.False(decision.Accepted);
        Assert.Null(decision.Event);
        Assert.Equal($"Cannot '{ApiName[action]}' instance {Given.Id} while it is in task_state {taskState}", decision.Conflict);
    }

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    [InlineData("building")]
    public void Delete_while_already_deleting_is_idempotent(string vmState)
    {
        var decision = Given.Instance(vmState, TaskState.Deleting).Decide(InstanceAction.Delete, Now);

        Assert.True(decision.Accepted);
        Assert.True(decision.AlreadyInProgress);
        Assert.Null(decision.Event);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void Any_action_on_a_deleted_instance_is_refused_as_not_found(InstanceAction action)
    {
        var decision = Given.Instance(VmState.Deleted, null).Decide(action, Now);

        Assert.False(decision.Accepted);
        Assert.Null(decision.Event);
        Assert.Equal($"Instance {Given.Id} could not be found.", decision.Conflict);
    }

    [Fact]
    public void Conflict_message_has_novas_exact_shape()
    {
        var decision = Given.Instance(VmState.Active, null).Decide(InstanceAction.Start, Now);

        Assert.Equal("Cannot 'start' instance 6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b while it is in vm_state active", decision.Conflict);
    }

    [Fact]
    public void Hard_reboot_is_reported_as_reboot_in_conflicts()
    {
        var decision = Given.Instance(VmState.Building, TaskState.Spawning).Decide(InstanceAction.RebootHard, Now);

        Assert.StartsWith("Cannot 'reboot' instance", decision.Conflict);
    }
}
