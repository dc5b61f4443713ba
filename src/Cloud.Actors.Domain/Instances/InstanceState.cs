using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Domain.Instances;

/// <summary>
/// The state of one instance, rebuilt from its events by <see cref="Apply"/>. The same record is the view
/// the directory keeps and `show` renders, so the host and the controller never disagree on its shape.
/// </summary>
public sealed record InstanceState(
    InstanceSpec Spec,
    string? Host,
    string VmState,
    string? TaskState,
    int PowerState,
    DateTimeOffset? LaunchedAt,
    DateTimeOffset? TerminatedAt,
    DateTimeOffset UpdatedAt,
    Fault? Fault)
{
    public Guid Id => Spec.Id;
    public string Status => ServerStatus.Of(VmState, TaskState);
    public bool IsDeleted => VmState == States.VmState.Deleted;
    public bool IsIdle => TaskState is null;

    /// <summary>When the guest's console first showed a login prompt; null until it has (or without a console file).</summary>
    public DateTimeOffset? LoginPromptAt { get; init; }

    /// <summary>A boot request the directory has recorded and not yet placed on a host.</summary>
    public static InstanceState Requested(InstanceSpec spec) => new(
        spec, null, States.VmState.Building, States.TaskState.Scheduling, States.PowerState.NoState,
        null, null, spec.CreatedAt, null);

    public InstanceState Apply(IInstanceEvent evt) => (evt switch
    {
        InstanceAccepted e => Requested(e.Spec) with { Host = e.Host, TaskState = States.TaskState.Networking },
        TaskStarted e => this with { TaskState = e.Task },
        InstanceSpawned e => this with
        {
            VmState = States.VmState.Active, TaskState = null, PowerState = States.PowerState.Running, LaunchedAt = e.At,
        },
        InstanceStopped e => this with { VmState = States.VmState.Stopped, TaskState = null, PowerState = e.PowerState },
        InstanceRebuildStarted e => this with { Spec = Spec with { Image = e.Image }, TaskState = States.TaskState.Rebuilding },
        InstanceRebuilt e => this with
        {
            VmState = e.PowerState == States.PowerState.Running ? States.VmState.Active : States.VmState.Stopped,
            TaskState = null, PowerState = e.PowerState, LaunchedAt = e.At, Fault = null,
        },
        InstancePaused => this with { VmState = States.VmState.Paused, TaskState = null, PowerState = States.PowerState.Paused },
        // Suspended by managed save, the guest is shut off as far as the hypervisor tells (Nova shows power state 4).
        InstanceSuspended => this with { VmState = States.VmState.Suspended, TaskState = null, PowerState = States.PowerState.Shutdown },
        InstanceStarted or InstanceRebooted or InstanceUnpaused or InstanceResumed => this with
        {
            VmState = States.VmState.Active, TaskState = null, PowerState = States.PowerState.Running, Fault = null,
        },
        PowerStateSynced e => this with { PowerState = e.PowerState },
        InstanceRenamed e => this with { Spec = Spec with { Name = e.Name } },
        InstanceAttributesChanged e => this with { Spec = Spec with { Attributes = e.Attributes } },
        TaskReverted => this with { TaskState = null },
        InstanceFailed e => this with { VmState = States.VmState.Error, TaskState = null, PowerState = e.PowerState, Fault = e.Fault },
        InstanceRescheduled => this with { TaskState = States.TaskState.Scheduling, Host = null },
        InstanceDeleted e => this with
        {
            VmState = States.VmState.Deleted, TaskState = null, PowerState = States.PowerState.NoState, TerminatedAt = e.At,
        },
        ConsoleLoginPromptSeen e => this with { LoginPromptAt = LoginPromptAt ?? e.At },
        _ => throw new ArgumentOutOfRangeException(nameof(evt), evt.GetType().Name, "unknown instance event"),
    }) with { UpdatedAt = evt.At };

    /// <summary>
    /// Whether <paramref name="action"/> may start now, with Nova's rules (nova/compute/api.py check_instance_state),
    /// and the task it starts.
    /// </summary>
    public Decision Decide(InstanceAction action, DateTimeOffset now)
    {
        if (IsDeleted) return Decision.Refuse($"Instance {Id} could not be found.");
        return action switch
        {
            InstanceAction.Delete => TaskState == States.TaskState.Deleting
                ? Decision.Idempotent
                : Decision.Start(States.TaskState.Deleting, now),
            InstanceAction.Stop => Check(action, [States.VmState.Active, States.VmState.Error], [null])
                ?? Decision.Start(States.TaskState.PoweringOff, now),
            InstanceAction.Start => Check(action, [States.VmState.Stopped], [null])
                ?? Decision.Start(States.TaskState.PoweringOn, now),
            InstanceAction.Reboot => Check(action, States.VmState.AllowSoftReboot, [null])
                ?? Decision.Start(States.TaskState.Rebooting, now),
            InstanceAction.RebootHard => Check(action, States.VmState.AllowHardReboot, AllowHardRebootTasks)
                ?? Decision.Start(States.TaskState.RebootingHard, now),
            InstanceAction.Pause => Check(action, [States.VmState.Active], [null])
                ?? Decision.Start(States.TaskState.Pausing, now),
            InstanceAction.Unpause => Check(action, [States.VmState.Paused], [null])
                ?? Decision.Start(States.TaskState.Unpausing, now),
            InstanceAction.Suspend => Check(action, [States.VmState.Active], [null])
                ?? Decision.Start(States.TaskState.Suspending, now),
            InstanceAction.Resume => Check(action, [States.VmState.Suspended], [null])
                ?? Decision.Start(States.TaskState.Resuming, now),
            InstanceAction.Rebuild => Check(action, [States.VmState.Active, States.VmState.Stopped, States.VmState.Error], [null])
                ?? Decision.Start(States.TaskState.Rebuilding, now),
            _ => Decision.Refuse($"Unknown action {action}"),
        };
    }

    private static readonly string?[] AllowHardRebootTasks =
    [
        null, States.TaskState.Rebooting, States.TaskState.RebootPending, States.TaskState.RebootStarted,
        States.TaskState.RebootingHard,
    ];

    private Decision? Check(InstanceAction action, IEnumerable<string> vmStates, IEnumerable<string?> taskStates)
    {
        if (!vmStates.Contains(VmState))
            return Decision.Refuse($"Cannot '{action.ApiName()}' instance {Id} while it is in vm_state {VmState}");
        if (!taskStates.Contains(TaskState))
            return Decision.Refuse($"Cannot '{action.ApiName()}' instance {Id} while it is in task_state {TaskState}");
        return null;
    }

    /// <summary>
    /// What a compute host must do with this instance after a restart, following Nova's
    /// ComputeManager._init_instance: no instance stays in a transitional task_state.
    /// </summary>
    public RecoveryStep RecoveryStep() => this switch
    {
        { IsDeleted: true } => Instances.RecoveryStep.None,
        { TaskState: States.TaskState.Deleting } => Instances.RecoveryStep.FinishDelete,
        { VmState: States.VmState.Building } => Instances.RecoveryStep.MarkError,
        { TaskState: var t } when t is not null && States.TaskState.Building.Contains(t) => Instances.RecoveryStep.MarkError,
        // Nova's _init_instance: a rebuild caught by a restart leaves the instance in error (rebuild it again).
        { TaskState: var t } when t is not null && States.TaskState.Rebuild.Contains(t) => Instances.RecoveryStep.MarkError,
        { TaskState: var t } when t is not null && (States.TaskState.SoftReboot.Contains(t) || States.TaskState.HardReboot.Contains(t))
            => Instances.RecoveryStep.HardReboot,
        { TaskState: States.TaskState.PoweringOff } => Instances.RecoveryStep.RetryStop,
        { TaskState: States.TaskState.PoweringOn } => Instances.RecoveryStep.RetryStart,
        { TaskState: not null } => Instances.RecoveryStep.ClearTask,
        _ => Instances.RecoveryStep.None,
    };
}

/// <summary>Nova's restart rules, as steps an InstanceActor performs after recovering its journal.</summary>
public enum RecoveryStep
{
    None,
    MarkError,
    HardReboot,
    RetryStop,
    RetryStart,
    FinishDelete,
    ClearTask,
}
