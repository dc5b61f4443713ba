using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.States;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

/// <summary>
/// The directory and its hosts when they lose each other: an action accepted while the host is unreachable waits and
/// goes to the host when it is back (also after a restart of the directory), and what a host reports it holds is
/// reconciled with the book. The scheduler and the hosts are probes; the journal is in memory.
/// </summary>
public sealed class DirectoryReconciliationSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ControllerSpec.ClusterNode.WithFallback(ControllerSpec.Config), output: output)
{
    private const string Host = "compute1";
    private TestProbe? _scheduler;
    private IActorRef _directory = null!;

    private TestProbe Scheduler => _scheduler ??= CreateTestProbe();

    private IActorRef StartDirectory() => _directory = Sys.ActorOf(DirectoryActor.Props(Scheduler.Ref), "directory");

    /// <summary>A host that has just become available, answering the directory's inventory with <paramref name="holds"/>.</summary>
    private TestProbe Available(params Guid[] holds)
    {
        var host = CreateTestProbe();
        _directory.Tell(new ComputeAvailable(Host, host.Ref), host.Ref);
        host.ExpectMsg<ReportInstances>();
        _directory.Tell(new HostInstances(Host, holds), host.Ref);
        return host;
    }

    /// <summary>An instance booted through the directory, placed on <see cref="Host"/> and reported ACTIVE by it.</summary>
    private InstanceState Active(TestProbe host, string name = "vm")
    {
        var id = Guid.NewGuid();
        _directory.Tell(BootOf(id, name));
        var requested = ExpectMsg<BootAccepted>().State;
        var select = Scheduler.ExpectMsg<SelectDestination>();
        _directory.Tell(new DestinationSelected(select.InstanceId, Host, host.Ref, []), Scheduler.Ref);
        host.ExpectMsg<BuildInstance>();
        var active = requested with
        {
            Host = Host, VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running, LaunchedAt = DateTimeOffset.UtcNow,
        };
        _directory.Tell(new InstanceChanged(active), host.Ref);
        return active;
    }

    internal static BootRequest BootOf(Guid id, string name) =>
        new(id, name, "p", "u", Flavor.Classic[0], new InstanceImage("img", "cirros", new Dictionary<string, string>()),
            null, null, Domain.Catalog.Network.Privada, "nova", 0, DateTimeOffset.UtcNow,
            [new FixedIp(Domain.Catalog.Network.Privada.Id, "privada", "10.0.0.2", "fa:16:3e:00:00:02")]);

    /// <summary>An ACTIVE instance whose host is then lost, and <paramref name="action"/> accepted for it meanwhile.</summary>
    private (InstanceState Vm, InstanceState Accepted) AcceptedWhileAway(InstanceAction action)
    {
        var host = Available();
        var vm = Active(host);
        Lose(host, vm.Id);
        _directory.Tell(new InstanceActionRequest(vm.Id, action));
        return (vm, ExpectMsg<ActionAccepted>().State);
    }

    /// <summary>Answered, the queued action is done: the next time the host is back there is nothing left to send.</summary>
    private void NothingWaitsFor(TestProbe host, Guid id)
    {
        AwaitCondition(() => Journaled<QueuedActionDelivered>().Any());
        Lose(host, id);
        var again = Available(id);
        Assert.Equal(new PublishInstance(id), again.ExpectMsg<PublishInstance>());
        again.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    /// <summary>The directory stopped and started again on its journal.</summary>
    private void RestartDirectory()
    {
        var directory = _directory;
        Watch(directory);
        Sys.Stop(directory);
        ExpectTerminated(directory);
        _directory = Sys.ActorOf(DirectoryActor.Props(Scheduler.Ref), directory.Path.Name);
    }

    private InstanceState Shown(Guid id)
    {
        _directory.Tell(new FindInstance(id.ToString(), null));
        return ExpectMsg<InstanceFound>().State;
    }

    /// <summary>The host's actor stops; the directory, which watches it, then shows its instance's host as UNKNOWN.</summary>
    private void Lose(TestProbe host, Guid instanceOnIt)
    {
        Sys.Stop(host.Ref);
        AwaitAssert(() => Assert.Equal("UNKNOWN", FindStatus(instanceOnIt)));
    }

    [Fact]
    public void A_stop_accepted_while_the_host_is_unreachable_reaches_the_host_when_it_is_back()
    {
        StartDirectory();

        var (vm, accepted) = AcceptedWhileAway(InstanceAction.Stop);

        Assert.Equal((VmState.Active, TaskState.PoweringOff), (accepted.VmState, accepted.TaskState));
        Assert.Equal(TaskState.PoweringOff, Shown(vm.Id).TaskState);

        var back = Available(vm.Id);
        Assert.Equal(new InstanceCommand(vm.Id, InstanceAction.Stop), back.ExpectMsg<InstanceCommand>());
        back.Reply(new ActionAccepted(accepted));
        Assert.Equal(new PublishInstance(vm.Id), back.ExpectMsg<PublishInstance>());
        NothingWaitsFor(back, vm.Id);
    }

    [Fact]
    public void A_waiting_action_the_host_did_not_answer_goes_again_when_the_host_is_back_again()
    {
        StartDirectory();
        var (vm, _) = AcceptedWhileAway(InstanceAction.Stop);

        // Back, sent the stop, and gone again before answering it.
        var back = Available(vm.Id);
        Assert.Equal(new InstanceCommand(vm.Id, InstanceAction.Stop), back.ExpectMsg<InstanceCommand>());
        Lose(back, vm.Id);

        var again = Available(vm.Id);
        Assert.Equal(new InstanceCommand(vm.Id, InstanceAction.Stop), again.ExpectMsg<InstanceCommand>());
    }

    [Fact]
    public void A_waiting_action_its_host_refuses_is_not_sent_again()
    {
        StartDirectory();
        var (vm, _) = AcceptedWhileAway(InstanceAction.Stop);

        var back = Available(vm.Id);
        back.ExpectMsg<InstanceCommand>();
        // The guest was stopped meanwhile, from inside: the host's instance says so.
        back.Reply(new ActionRejected($"Cannot 'stop' instance {vm.Id} while it is in vm_state stopped", 409));
        back.ExpectMsg<PublishInstance>();

        NothingWaitsFor(back, vm.Id);
    }

    [Fact]
    public void An_instance_a_host_holds_that_this_directory_never_booted_is_left_alone()
    {
        // A directory on an empty journal (or another cluster's host): it must not wipe what hosts hold.
        StartDirectory();
        var stranger = Guid.NewGuid();

        var host = Available(stranger);

        host.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_deleted_instance_is_remembered_across_a_snapshot_and_deleted_on_the_host_that_comes_back_with_it()
    {
        _directory = Sys.ActorOf(DirectoryActor.Props(Scheduler.Ref, snapshotEvery: 1), "directory");
        var (vm, deleted) = AcceptedWhileAway(InstanceAction.Delete);
        Assert.True(deleted.IsDeleted);
        AwaitCondition(() => LatestSnapshot()?.Removed?.Contains(vm.Id) == true);
        // Only the snapshot is left to recover from.
        Persistence.Instance.Apply(Sys).JournalFor(null).Tell(new DeleteMessagesTo("directory", long.MaxValue, TestActor));
        ExpectMsg<DeleteMessagesSuccess>();

        RestartDirectory();

        var back = Available(vm.Id);
        Assert.Equal(new InstanceCommand(vm.Id, InstanceAction.Delete), back.ExpectMsg<InstanceCommand>());
    }

    [Fact]
    public void A_waiting_action_outlives_a_restart_of_the_directory()
    {
        StartDirectory();
        var (vm, _) = AcceptedWhileAway(InstanceAction.Pause);

        RestartDirectory();

        Assert.Equal(TaskState.Pausing, Shown(vm.Id).TaskState);
        var back = Available(vm.Id);
        Assert.Equal(new InstanceCommand(vm.Id, InstanceAction.Pause), back.ExpectMsg<InstanceCommand>());
    }

    [Fact]
    public void A_delete_while_the_host_is_away_is_local_and_the_host_that_comes_back_with_it_is_told_to_delete_it()
    {
        StartDirectory();

        var (vm, deleted) = AcceptedWhileAway(InstanceAction.Delete);

        Assert.True(deleted.IsDeleted);
        Assert.Equal(new ReleaseClaim(Host, vm.Id), Scheduler.FishForMessage<ReleaseClaim>(_ => true));
        _directory.Tell(new FindInstance(vm.Id.ToString(), null));
        ExpectMsg<InstanceNotFound>();

        var back = Available(vm.Id);
        Assert.Equal(new InstanceCommand(vm.Id, InstanceAction.Delete), back.ExpectMsg<InstanceCommand>());
    }

    [Fact]
    public void A_removed_instance_s_ports_are_released_at_the_network_service_and_a_restart_tells_it_the_book_again()
    {
        var network = CreateTestProbe();
        _directory = Sys.ActorOf(DirectoryActor.Props(Scheduler.Ref, network: network.Ref), "directory");
        var (vm, _) = AcceptedWhileAway(InstanceAction.Delete);
        Scheduler.FishForMessage<ReleaseClaim>(_ => true);

        var released = network.FishForMessage<ReleaseDevicePorts>(_ => true);

        Assert.Equal([vm.Id.ToString()], released.DeviceIds);
        // Not confirmed (the service restarting, a hand-over), it is asked again; confirmed, no more.
        Assert.Equal([vm.Id.ToString()], network.FishForMessage<ReleaseDevicePorts>(_ => true, TimeSpan.FromSeconds(10)).DeviceIds);
        network.Reply(NetworkingDone.Instance);
        network.ExpectNoMsg(TimeSpan.FromSeconds(6));
        // A restart (a hand-over) tells the network service the addresses it holds and, again, the removed instances.
        var kept = Active(Available(), "kept");
        Watch(_directory);
        Sys.Stop(_directory);
        ExpectTerminated(_directory);
        _directory = Sys.ActorOf(DirectoryActor.Props(Scheduler.Ref, network: network.Ref), "directory");
        var adopted = network.FishForMessage<AdoptInstancePorts>(_ => true);
        Assert.Equal(kept.Id, Assert.Single(adopted.Instances).InstanceId);
        Assert.Contains(vm.Id.ToString(), network.FishForMessage<ReleaseDevicePorts>(_ => true).DeviceIds);
    }

    [Fact]
    public void A_boot_asked_again_after_its_server_was_deleted_does_not_bring_it_back()
    {
        // The API asks again when an answer is slow, and a singleton proxy hands its buffered copies to the next
        // directory after a hand-over: a copy may come after the client, answered by the first, deleted the server.
        StartDirectory();
        var (vm, _) = AcceptedWhileAway(InstanceAction.Delete);
        Scheduler.FishForMessage<ReleaseClaim>(_ => true);

        _directory.Tell(BootOf(vm.Id, vm.Spec.Name));

        Assert.Equal(409, ExpectMsg<BootRejected>().Code);
        _directory.Tell(new FindInstance(vm.Id.ToString(), null));
        ExpectMsg<InstanceNotFound>();
        Scheduler.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_delete_that_finished_while_the_directory_was_not_listening_is_completed_from_the_inventory()
    {
        StartDirectory();
        var host = Available();
        var vm = Active(host);
        _directory.Tell(new InstanceChanged(vm with { TaskState = TaskState.Deleting }), host.Ref);
        Lose(host, vm.Id);

        Available();

        AwaitAssert(() =>
        {
            _directory.Tell(new FindInstance(vm.Id.ToString(), null));
            ExpectMsg<InstanceNotFound>();
        });
    }

    [Fact]
    public void An_instance_its_host_no_longer_holds_left_it_by_a_delete_the_directory_did_not_hear_of()
    {
        StartDirectory();
        var host = Available();
        var vm = Active(host);
        // The delete went to the host through an earlier incarnation of the directory, which died before the host's answer.
        Lose(host, vm.Id);

        Available();

        Assert.Equal(new ReleaseClaim(Host, vm.Id), Scheduler.FishForMessage<ReleaseClaim>(_ => true));
        _directory.Tell(new FindInstance(vm.Id.ToString(), null));
        ExpectMsg<InstanceNotFound>();
    }

    [Fact]
    public void An_instance_a_host_holds_that_the_book_lost_track_of_is_asked_for_its_state()
    {
        StartDirectory();
        Available();
        // Placed, built, but its host's answers were lost (say, with an earlier incarnation of the directory).
        var id = Guid.NewGuid();
        _directory.Tell(BootOf(id, "perdida"));
        ExpectMsg<BootAccepted>();

        // The host's actor restarted (a new ref): the directory asks again what it holds.
        var back = Available(id);

        Assert.Equal(new PublishInstance(id), back.ExpectMsg<PublishInstance>());
    }

    private DirectorySnapshot? LatestSnapshot()
    {
        var reader = CreateTestProbe();
        Persistence.Instance.Apply(Sys).SnapshotStoreFor(null)
            .Tell(new LoadSnapshot("directory", SnapshotSelectionCriteria.Latest, long.MaxValue), reader.Ref);
        return reader.ExpectMsg<LoadSnapshotResult>().Snapshot?.Snapshot as DirectorySnapshot;
    }

    /// <summary>The events of type <typeparamref name="T"/> in the directory's journal, as a recovery reads them.</summary>
    private List<T> Journaled<T>()
    {
        var reader = CreateTestProbe();
        Persistence.Instance.Apply(Sys).JournalFor(null)
            .Tell(new ReplayMessages(0, long.MaxValue, long.MaxValue, "directory", reader.Ref));
        var events = new List<T>();
        while (reader.ExpectMsg<object>() is var message && message is not RecoverySuccess)
            if (message is ReplayedMessage { Persistent.Payload: T e }) events.Add(e);
        return events;
    }

    private string FindStatus(Guid id)
    {
        _directory.Tell(new FindInstance(id.ToString(), null));
        return ExpectMsg<InstanceFound>().HostStatus;
    }
}
