using System.Security.Cryptography;
using System.Text;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Domain.Instances;

/// <summary>One user action on an instance as Nova's os-instance-actions shows it, with its compute event.</summary>
public sealed record InstanceActionRecord(
    string Action,
    string RequestId,
    string UserId,
    string ProjectId,
    DateTimeOffset StartTime,
    DateTimeOffset UpdatedAt,
    string? Message,
    InstanceActionEvent[] Events);

/// <summary>The compute step of an action (Nova's instance_actions_events row): result Success or Error, null while running.</summary>
public sealed record InstanceActionEvent(string Event, DateTimeOffset StartTime, DateTimeOffset? FinishTime, string? Result, string? Traceback, string? Host);

/// <summary>
/// Nova's instance actions rebuilt from an instance's journal: the build is "create", each task a user starts
/// (powering-off, powering-on, rebooting, deleting, pausing, unpausing, suspending, resuming) opens "stop", "start",
/// "reboot", "delete", "pause", "unpause", "suspend" or "resume", and the event
/// that ends the task closes it (TaskReverted or InstanceFailed as Error). Power syncs and renames are no actions,
/// as in Nova. The journal does not say who asked, so every action is shown as the owner's.
/// </summary>
public static class InstanceActions
{
    public static InstanceActionRecord[] From(Guid instanceId, IEnumerable<(long SequenceNr, IInstanceEvent Event)> journal)
    {
        var actions = new List<InstanceActionRecord>();
        InstanceSpec? spec = null;
        string? host = null;
        int? open = null;

        void Start(string action, string computeEvent, long sequenceNr, DateTimeOffset requestedAt, DateTimeOffset at)
        {
            if (spec is null) return;
            Finish(at, "Error", "superseded by another action");
            actions.Add(new InstanceActionRecord(action, RequestId(instanceId, sequenceNr), spec.UserId, spec.ProjectId, requestedAt, at, null,
                [new InstanceActionEvent(computeEvent, at, null, null, null, host)]));
            open = actions.Count - 1;
        }

        void Finish(DateTimeOffset at, string result, string? message)
        {
            if (open is not { } index) return;
            var action = actions[index];
            var step = action.Events[0] with { FinishTime = at, Result = result, Traceback = result == "Error" ? message : null };
            actions[index] = action with { UpdatedAt = at, Message = result == "Error" ? "Error" : null, Events = [step] };
            open = null;
        }

        foreach (var (sequenceNr, evt) in journal)
        {
            switch (evt)
            {
                case InstanceAccepted accepted:
                    spec = accepted.Spec;
                    host = accepted.Host;
                    Start("create", "compute__do_build_and_run_instance", sequenceNr, accepted.Spec.CreatedAt, accepted.At);
                    break;
                case TaskStarted { Task: var task } started when ActionOf(task) is var (action, computeEvent) && action is not null:
                    Start(action, computeEvent!, sequenceNr, started.At, started.At);
                    break;
                case InstanceRebuildStarted rebuild:
                    Start("rebuild", "compute_rebuild_instance", sequenceNr, rebuild.At, rebuild.At);
                    break;
                case InstanceSpawned or InstanceStopped or InstanceStarted or InstanceRebooted or InstanceDeleted
                    or InstancePaused or InstanceUnpaused or InstanceSuspended or InstanceResumed or InstanceRebuilt:
                    Finish(evt.At, "Success", null);
                    break;
                case TaskReverted reverted:
                    Finish(evt.At, "Error", reverted.Reason);
                    break;
                case InstanceFailed failed:
                    Finish(evt.At, "Error", failed.Fault.Message);
                    break;
                case InstanceRescheduled rescheduled:
                    Finish(evt.At, "Error", rescheduled.Reason);
                    break;
            }
        }
        // Newest first, as Nova lists them.
        actions.Reverse();
        return actions.ToArray();
    }

    private static (string? Action, string? ComputeEvent) ActionOf(string task) => task switch
    {
        TaskState.PoweringOff => ("stop", "compute_stop_instance"),
        TaskState.PoweringOn => ("start", "compute_start_instance"),
        TaskState.Rebooting or TaskState.RebootingHard => ("reboot", "compute_reboot_instance"),
        TaskState.Deleting => ("delete", "compute_terminate_instance"),
        TaskState.Pausing => ("pause", "compute_pause_instance"),
        TaskState.Unpausing => ("unpause", "compute_unpause_instance"),
        TaskState.Suspending => ("suspend", "compute_suspend_instance"),
        TaskState.Resuming => ("resume", "compute_resume_instance"),
        _ => (null, null),
    };

    /// <summary>A stable req-uuid per action: the same journal always shows the same ids.</summary>
    private static string RequestId(Guid instanceId, long sequenceNr) =>
        $"req-{new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"{instanceId}/{sequenceNr}")))}";
}
