using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Domain.Tests;

public sealed class InstanceActionsSpecs
{
    private static (long, IInstanceEvent)[] Journal(params IInstanceEvent[] events) =>
        events.Select((e, i) => ((long)i + 1, e)).ToArray();

    private static readonly (long, IInstanceEvent)[] Lifecycle = Journal(
        new InstanceAccepted(Given.Spec(), "compute-1", Given.At(1)),
        new TaskStarted(TaskState.Spawning, Given.At(2)),
        new InstanceSpawned(Given.At(3)),
        new TaskStarted(TaskState.PoweringOff, Given.At(4)),
        new InstanceStopped(PowerState.Shutdown, Given.At(5)),
        new PowerStateSynced(PowerState.Shutdown, Given.At(6)),
        new InstanceRenamed("renamed", Given.At(7)),
        new TaskStarted(TaskState.PoweringOn, Given.At(8)),
        new InstanceStarted(Given.At(9)),
        new TaskStarted(TaskState.RebootingHard, Given.At(10)),
        new TaskReverted("guest did not come back", Given.At(11)));

    [Fact]
    public void The_build_and_each_user_task_are_actions_newest_first()
    {
        var actions = InstanceActions.From(Given.Id, Lifecycle);

        Assert.Equal(["reboot", "start", "stop", "create"], actions.Select(a => a.Action));
        Assert.Equal(["compute_reboot_instance", "compute_start_instance", "compute_stop_instance", "compute__do_build_and_run_instance"],
            actions.Select(a => a.Events.Single().Event));
    }

    [Fact]
    public void The_event_that_ends_a_task_closes_its_action_with_success_or_error()
    {
        var actions = InstanceActions.From(Given.Id, Lifecycle);

        Assert.Equal(["Error", "Success", "Success", "Success"], actions.Select(a => a.Events.Single().Result));
        var reboot = actions[0];
        Assert.Equal("Error", reboot.Message);
        Assert.Equal("guest did not come back", reboot.Events[0].Traceback);
        Assert.Equal((Given.At(10), Given.At(11)), (reboot.Events[0].StartTime, reboot.Events[0].FinishTime!.Value));
        var create = actions[3];
        Assert.Equal(Given.Spec().CreatedAt, create.StartTime);
        Assert.Equal(Given.At(3), create.UpdatedAt);
        Assert.Equal("compute-1", create.Events[0].Host);
    }

    [Fact]
    public void Pause_unpause_suspend_resume_and_rebuild_are_actions_closed_by_their_events()
    {
        var actions = InstanceActions.From(Given.Id, Journal(
            new InstanceAccepted(Given.Spec(), "compute-1", Given.At(1)),
            new InstanceSpawned(Given.At(2)),
            new TaskStarted(TaskState.Pausing, Given.At(3)),
            new InstancePaused(Given.At(4)),
            new TaskStarted(TaskState.Unpausing, Given.At(5)),
            new InstanceUnpaused(Given.At(6)),
            new TaskStarted(TaskState.Suspending, Given.At(7)),
            new InstanceSuspended(Given.At(8)),
            new TaskStarted(TaskState.Resuming, Given.At(9)),
            new InstanceResumed(Given.At(10)),
            new InstanceRebuildStarted(new InstanceImage("otra", "otra", new Dictionary<string, string>()), Given.At(11)),
            new InstanceRebuilt(PowerState.Running, Given.At(12))));

        Assert.Equal(["rebuild", "resume", "suspend", "unpause", "pause", "create"], actions.Select(a => a.Action));
        Assert.Equal(["compute_rebuild_instance", "compute_resume_instance", "compute_suspend_instance", "compute_unpause_instance", "compute_pause_instance"],
            actions.Take(5).Select(a => a.Events.Single().Event));
        Assert.All(actions, a => Assert.Equal("Success", a.Events.Single().Result));
        Assert.Equal(Given.At(8), actions[2].Events[0].FinishTime);
        Assert.Equal((Given.At(11), Given.At(12)), (actions[0].StartTime, actions[0].Events[0].FinishTime!.Value));
    }

    [Fact]
    public void A_running_task_is_an_action_without_a_result()
    {
        var actions = InstanceActions.From(Given.Id, Journal(
            new InstanceAccepted(Given.Spec(), "compute-1", Given.At(1)),
            new InstanceSpawned(Given.At(2)),
            new TaskStarted(TaskState.Deleting, Given.At(3))));

        Assert.Equal("delete", actions[0].Action);
        Assert.Null(actions[0].Events[0].Result);
        Assert.Null(actions[0].Events[0].FinishTime);
    }

    [Fact]
    public void Request_ids_are_stable_and_distinct()
    {
        var first = InstanceActions.From(Given.Id, Lifecycle).Select(a => a.RequestId).ToArray();
        var second = InstanceActions.From(Given.Id, Lifecycle).Select(a => a.RequestId).ToArray();

        Assert.Equal(first, second);
        Assert.Equal(first.Length, first.Distinct().Count());
        Assert.All(first, id => Assert.Matches("^req-[0-9a-f-]{36}$", id));
    }

    [Fact]
    public void Actions_belong_to_the_instances_owner()
    {
        var action = InstanceActions.From(Given.Id, Lifecycle)[0];

        Assert.Equal((Given.Spec().UserId, Given.Spec().ProjectId), (action.UserId, action.ProjectId));
    }
}
