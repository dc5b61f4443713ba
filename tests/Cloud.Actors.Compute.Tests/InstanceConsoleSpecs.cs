using Akka.Actor;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Virt.Fake;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>An InstanceActor and its console: the tailer it starts once the guest is spawned, and what it records.</summary>
public sealed class InstanceConsoleSpecs(ITestOutputHelper output) : CloudSpec(output), IDisposable
{
    private static readonly ComputeSettings Settings = new()
    {
        Host = "compute1",
        ShutdownTimeout = TimeSpan.FromSeconds(1),
        ConsoleTailer = new ConsoleTailerSettings { PollInterval = TimeSpan.FromMilliseconds(50) },
    };

    private readonly FakeHypervisor _hypervisor = new();
    private readonly ConsoleFileStorage _storage = new();
    private readonly Guid _id = Guid.NewGuid();

    private static InstanceSpec Spec(Guid id) => new(id, 0x1c, "test2", "project", "user", Flavor.Classic[0],
        new InstanceImage("image-id", "cirros", new Dictionary<string, string>()), "miclave", null,
        [new FixedIp("net", "privada", "10.0.0.5", "fa:16:3e:00:00:01")], "nova", 0, DateTimeOffset.UtcNow);

    private IActorRef Booted(Akka.TestKit.TestProbe directory, IInstanceStorage? storage = null)
    {
        var instance = Sys.ActorOf(InstanceActor.Props(_id, _hypervisor, storage ?? _storage, directory.Ref, Settings));
        instance.Tell(new BuildInstance(Spec(_id)), directory.Ref);
        directory.FishForMessage(m => m is InstanceChanged { State.Status: "ACTIVE" }, TimeSpan.FromSeconds(5));
        return instance;
    }

    private string ConsoleLog(IActorRef instance)
    {
        instance.Tell(new GetConsoleOutput(_id, null));
        return ExpectMsg<ConsoleOutput>().Text;
    }

    [Fact]
    public void The_first_login_prompt_is_recorded_once_and_survives_recovery()
    {
        var directory = CreateTestProbe();
        var instance = Booted(directory);

        _storage.Write(_id, "Starting network...\ntest2 login: ");
        var seen = (InstanceChanged)directory.FishForMessage(m => m is InstanceChanged { State.LoginPromptAt: not null }, TimeSpan.FromSeconds(3));
        var at = seen.State.LoginPromptAt;

        // The prompt of a later boot, even one reported again, changes nothing.
        _storage.Write(_id, "\nreboot: Restarting system\ntest2 login: ");
        instance.Tell(new LoginPromptAppeared(DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.EndsWith("test2 login: ", ConsoleLog(instance));
        directory.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        Watch(instance);
        Sys.Stop(instance);
        ExpectTerminated(instance);
        var again = Sys.ActorOf(InstanceActor.Props(_id, _hypervisor, _storage, directory.Ref, Settings));
        var recovered = directory.ExpectMsg<InstanceChanged>(TimeSpan.FromSeconds(5)).State;
        Assert.Equal(at, recovered.LoginPromptAt);

        // The recovered instance follows its console again, from where it was.
        _storage.Write(_id, "\nsecond boot done\n");
        Assert.Equal("Starting network...\ntest2 login: \nreboot: Restarting system\ntest2 login: \nsecond boot done\n", ConsoleLog(again));
        directory.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Console_log_is_read_from_the_console_file_and_followed()
    {
        var directory = CreateTestProbe();
        var instance = Booted(directory);
        _storage.Write(_id, "line 1\nline 2\n");
        // As Nova's _tail_log: the last 2 pieces between newlines, the second one empty.
        instance.Tell(new GetConsoleOutput(_id, 2));
        Assert.Equal("line 2\n", ExpectMsg<ConsoleOutput>().Text);

        var follower = CreateTestProbe();
        instance.Tell(new FollowConsole(_id, null, follower.Ref));
        Assert.Equal("line 1\nline 2\n", follower.ExpectMsg<ConsoleChunk>().Text);
        _storage.Write(_id, "line 3\n");

        Assert.Equal("line 3\n", follower.ExpectMsg<ConsoleChunk>(TimeSpan.FromSeconds(3)).Text);
    }

    [Fact]
    public void Deleting_the_instance_ends_its_console_followers()
    {
        var directory = CreateTestProbe();
        var instance = Booted(directory);
        var follower = CreateTestProbe();
        instance.Tell(new FollowConsole(_id, null, follower.Ref));
        follower.ExpectMsg<ConsoleChunk>();
        Watch(instance);

        instance.Tell(new InstanceCommand(_id, InstanceAction.Delete));

        follower.ExpectMsg<ConsoleFollowEnded>(TimeSpan.FromSeconds(5));
        ExpectMsg<ActionAccepted>();
        ExpectTerminated(instance, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Without_a_console_file_a_follower_gets_what_the_hypervisor_has_and_nothing_more()
    {
        var directory = CreateTestProbe();
        var instance = Booted(directory, NoInstanceStorage.Instance);
        var follower = CreateTestProbe();

        instance.Tell(new FollowConsole(_id, null, follower.Ref));

        follower.ExpectMsg<ConsoleChunk>();
        follower.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void An_instance_not_spawned_yet_refuses_a_follower()
    {
        var slow = new FakeHypervisor(new FakeHypervisorOptions { Latency = TimeSpan.FromSeconds(1) });
        var directory = CreateTestProbe();
        var instance = Sys.ActorOf(InstanceActor.Props(_id, slow, _storage, directory.Ref, Settings));
        instance.Tell(new BuildInstance(Spec(_id)), directory.Ref);
        directory.FishForMessage(m => m is BuildAccepted, TimeSpan.FromSeconds(3));

        instance.Tell(new FollowConsole(_id, null, TestActor));

        Assert.Equal(409, ExpectMsg<ActionRejected>().Code);
    }

    [Fact]
    public void A_deleted_or_unknown_instance_refuses_a_follower()
    {
        var instance = Sys.ActorOf(InstanceActor.Props(_id, _hypervisor, _storage, CreateTestProbe().Ref, Settings));

        instance.Tell(new FollowConsole(_id, null, TestActor));

        Assert.Equal(404, ExpectMsg<ActionRejected>().Code);
    }

    [Fact]
    public void A_deleted_instance_whose_host_died_before_it_departed_still_drops_its_console_position()
    {
        // The tailer of the first life saved a position; the host then died right after recording the delete.
        _storage.Write(_id, "boot\n");
        var tailer = Sys.ActorOf(ConsoleTailer.Props(_id, _storage.ConsoleLogPath(_id)!, Settings.ConsoleTailer, false));
        tailer.Tell(new GetConsoleOutput(_id, null));
        ExpectMsg<ConsoleOutput>();
        Watch(tailer);
        Sys.Stop(tailer);
        ExpectTerminated(tailer);
        AwaitAssert(() => Assert.NotNull(SavedConsolePosition()), TimeSpan.FromSeconds(3));
        var at = DateTimeOffset.UtcNow;
        WriteJournal($"instance-{_id}", new InstanceAccepted(Spec(_id), "compute1", at), new InstanceSpawned(at), new InstanceDeleted(at));

        var instance = Sys.ActorOf(InstanceActor.Props(_id, _hypervisor, _storage, CreateTestProbe().Ref, Settings));
        Watch(instance);

        ExpectTerminated(instance, TimeSpan.FromSeconds(5));
        AwaitAssert(() => Assert.Null(SavedConsolePosition()), TimeSpan.FromSeconds(3));
    }

    private object? SavedConsolePosition()
    {
        var store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        store.Tell(new Akka.Persistence.LoadSnapshot($"console-{_id}", Akka.Persistence.SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        return ExpectMsg<Akka.Persistence.LoadSnapshotResult>().Snapshot?.Snapshot;
    }

    private void WriteJournal(string persistenceId, params IInstanceEvent[] events)
    {
        var writer = Sys.ActorOf(Props.Create(() => new JournalWriter(persistenceId)));
        writer.Tell(events);
        ExpectMsg("written");
        Sys.Stop(writer);
    }


    public new void Dispose()
    {
        base.Dispose();
        _storage.Dispose();
    }
}
