using Cloud.Actors.Compute.Storage;
using Akka.Actor;
using Akka.Persistence;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Fake;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>
/// An InstanceActor rebuilt from its journal after its host restarts: same id, number, host and state, and
/// Nova's restart rules for one caught mid-transition (nova/compute/manager.py _init_instance).
/// </summary>
public sealed class RecoverySpecs(ITestOutputHelper output) : CloudSpec(output)
{
    private static readonly ComputeSettings Settings = new() { Host = "compute1", ShutdownTimeout = TimeSpan.FromSeconds(1) };
    private readonly FakeHypervisor _hypervisor = new();

    private static InstanceSpec Spec(Guid id) => new(id, 0x1c, "test2", "project", "user", Flavor.Classic[0],
        new InstanceImage("image-id", "cirros", new Dictionary<string, string>()), "miclave", null,
        [new FixedIp("net", "privada", "10.0.0.5", "fa:16:3e:00:00:01")], "nova", 0, DateTimeOffset.UtcNow);

    /// <summary>An instance built to ACTIVE by a first incarnation, which then stops: its journal is what is left.</summary>
    private void BuildToActiveAndStop(Guid id, Akka.TestKit.TestProbe directory)
    {
        var first = Sys.ActorOf(InstanceActor.Props(id, _hypervisor, NoInstanceStorage.Instance, directory.Ref, Settings));
        first.Tell(new BuildInstance(Spec(id)), directory.Ref);
        directory.FishForMessage(m => m is InstanceChanged { State.Status: "ACTIVE" }, TimeSpan.FromSeconds(5));
        Stop(first);
    }

    [Fact]
    public void An_instance_comes_back_from_its_journal_with_the_same_id_number_host_and_state()
    {
        var id = Guid.NewGuid();
        var directory = CreateTestProbe();
        BuildToActiveAndStop(id, directory);

        Sys.ActorOf(InstanceActor.Props(id, _hypervisor, NoInstanceStorage.Instance, directory.Ref, Settings));
        var recovered = directory.ExpectMsg<InstanceChanged>(TimeSpan.FromSeconds(5)).State;
        Assert.Equal((id, 0x1cL, "compute1"), (recovered.Id, recovered.Spec.Number, recovered.Host));
        Assert.Equal((VmState.Active, (string?)null, PowerState.Running), (recovered.VmState, recovered.TaskState, recovered.PowerState));
        directory.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_just_assigned_instance_skips_snapshots_but_still_replays_a_journal_it_finds()
    {
        // A just-assigned incarnation does not ask the snapshot store; if events were left behind (a departure
        // whose journal delete failed) it must still see them, and answer a repeated build without building again.
        var id = Guid.NewGuid();
        var directory = CreateTestProbe();
        BuildToActiveAndStop(id, directory);

        var again = Sys.ActorOf(InstanceActor.Props(id, _hypervisor, NoInstanceStorage.Instance, directory.Ref, Settings, justAssigned: true));
        var recovered = directory.ExpectMsg<InstanceChanged>(TimeSpan.FromSeconds(5)).State;
        Assert.Equal((VmState.Active, PowerState.Running), (recovered.VmState, recovered.PowerState));
        again.Tell(new BuildInstance(Spec(id)), directory.Ref);
        directory.FishForMessage(m => m is BuildAccepted, TimeSpan.FromSeconds(5));
    }

    public static TheoryData<string, string, string> Interrupted => new()
    {
        // the task the host died in, what the instance must end as (vm_state, status)
        { TaskState.Spawning, VmState.Error, "ERROR" },
        { TaskState.BlockDeviceMapping, VmState.Error, "ERROR" },
        { TaskState.PoweringOff, VmState.Stopped, "SHUTOFF" },
        { TaskState.Rebooting, VmState.Active, "ACTIVE" },
        { TaskState.RebootStarted, VmState.Active, "ACTIVE" },
        { TaskState.RebootingHard, VmState.Active, "ACTIVE" },
    };

    [Theory]
    [MemberData(nameof(Interrupted))]
    public async Task An_instance_caught_mid_transition_is_resolved_by_Novas_restart_rules(string task, string vmState, string status)
    {
        var id = Guid.NewGuid();
        var spec = Spec(id);
        var at = DateTimeOffset.UtcNow;
        var history = new List<IInstanceEvent> { new InstanceAccepted(spec, "compute1", at) };
        if (!TaskState.Building.Contains(task))
        {
            history.Add(new InstanceSpawned(at));
            await _hypervisor.DefineAsync(new GuestDefinition(spec.InstanceName, id, "test2.novalocal", 512, 1, 1));
            await _hypervisor.StartAsync(spec.InstanceName);
        }
        history.Add(new TaskStarted(task, at));
        WriteJournal($"instance-{id}", history);

        var directory = CreateTestProbe();
        Sys.ActorOf(InstanceActor.Props(id, _hypervisor, NoInstanceStorage.Instance, directory.Ref, Settings));
        var settled = (InstanceChanged)directory.FishForMessage(
            m => m is InstanceChanged { State.TaskState: null }, TimeSpan.FromSeconds(5));
        Assert.Equal((vmState, status), (settled.State.VmState, settled.State.Status));
    }

    [Fact]
    public async Task An_instance_caught_deleting_finishes_its_delete_and_forgets_its_journal()
    {
        var id = Guid.NewGuid();
        var spec = Spec(id);
        var at = DateTimeOffset.UtcNow;
        await _hypervisor.DefineAsync(new GuestDefinition(spec.InstanceName, id, "test2.novalocal", 512, 1, 1));
        WriteJournal($"instance-{id}", [new InstanceAccepted(spec, "compute1", at), new InstanceSpawned(at), new TaskStarted(TaskState.Deleting, at)]);

        var directory = CreateTestProbe();
        var instance = Sys.ActorOf(InstanceActor.Props(id, _hypervisor, NoInstanceStorage.Instance, directory.Ref, Settings));
        Watch(instance);
        directory.FishForMessage(m => m is InstanceChanged { State.VmState: VmState.Deleted }, TimeSpan.FromSeconds(5));
        ExpectTerminated(instance, TimeSpan.FromSeconds(5));
        Assert.Null(await _hypervisor.GetPowerStateAsync(spec.InstanceName));

        // Nothing is left to recover: a new actor for the id has no instance.
        var again = Sys.ActorOf(InstanceActor.Props(id, _hypervisor, NoInstanceStorage.Instance, directory.Ref, Settings));
        again.Tell(new InstanceCommand(id, InstanceAction.Stop));
        Assert.Equal(404, ExpectMsg<ActionRejected>().Code);
    }

    [Fact]
    public void A_compute_host_recreates_its_instances_after_a_restart()
    {
        var directory = CreateTestProbe();
        var scheduler = CreateTestProbe();
        var compute = Sys.ActorOf(ComputeActor.Props(_hypervisor, scheduler.Ref, directory.Ref, Settings));
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids) compute.Tell(new BuildInstance(Spec(id) with { Number = ids.IndexOf(id) + 1 }), directory.Ref);
        var active = new HashSet<Guid>();
        directory.FishForMessage(m =>
        {
            if (m is InstanceChanged { State.Status: "ACTIVE" } c) active.Add(c.State.Id);
            return active.Count == 3;
        }, TimeSpan.FromSeconds(5));
        Stop(compute);

        var restarted = Sys.ActorOf(ComputeActor.Props(_hypervisor, scheduler.Ref, directory.Ref, Settings));
        var back = new HashSet<Guid>();
        directory.FishForMessage(m =>
        {
            if (m is InstanceChanged { State.Status: "ACTIVE", State.Host: "compute1" } c) back.Add(c.State.Id);
            return back.SetEquals(ids);
        }, TimeSpan.FromSeconds(5));
        var registration = scheduler.FishForMessage<RegisterHost>(r => r.Compute.Equals(restarted), TimeSpan.FromSeconds(5));
        Assert.Equal(ids.ToHashSet(), registration.Allocations.Keys.ToHashSet());
    }

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }

    /// <summary>Writes a history into the journal under a persistence id, as a host that died would have left it.</summary>
    private void WriteJournal(string persistenceId, IReadOnlyList<IInstanceEvent> events)
    {
        var writer = Sys.ActorOf(Props.Create(() => new JournalWriter(persistenceId)));
        writer.Tell(events.ToArray());
        ExpectMsg("written");
        Stop(writer);
    }

}
