using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.TestKit;
using Akka.TestKit;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

/// <summary>
/// What the directory answers, it has journaled: its journal here is Akka.Persistence.TestKit's, whose writes are
/// delayed, so an answer sent before its event is written shows up early. A directory killed right after such an
/// answer (a hand-over) would bring the server back.
/// </summary>
public sealed class DirectoryJournalTimingSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """).WithFallback(ControllerSpec.ClusterNode).WithFallback(ControllerSpec.Config), output: output)
{
    private static readonly TimeSpan WriteDelay = TimeSpan.FromSeconds(2);

    private ITestJournal Journal => TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));

    [Fact]
    public async Task A_delete_of_a_build_no_host_has_taken_is_answered_once_its_tombstone_is_journaled()
    {
        var scheduler = CreateTestProbe();
        var host = CreateTestProbe();
        var directory = Sys.ActorOf(DirectoryActor.Props(scheduler.Ref), "directory");
        var id = Guid.NewGuid();
        directory.Tell(DirectoryReconciliationSpecs.BootOf(id, "vm"));
        ExpectMsg<BootAccepted>();
        scheduler.ExpectMsg<SelectDestination>();
        directory.Tell(new DestinationSelected(id, "compute1", host.Ref, []), scheduler.Ref);
        host.ExpectMsg<BuildInstance>();

        await Journal.OnWrite.PassWithDelay(WriteDelay);

        // The host has not taken the build: Nova's local delete, done in the directory.
        directory.Tell(new InstanceActionRequest(id, InstanceAction.Delete));

        await ExpectNoMsgAsync(WriteDelay - TimeSpan.FromMilliseconds(500));
        Assert.True((await ExpectMsgAsync<ActionAccepted>(TimeSpan.FromSeconds(5))).State.IsDeleted);
    }
}
