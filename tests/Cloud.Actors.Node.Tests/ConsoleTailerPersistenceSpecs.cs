using Akka.Actor;
using Akka.Persistence;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Node;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// A console tailer's position through the node's real persistence (SQLite, hocon/, the JSON serializer
/// binding): saved again and again at the same sequence number, read back by a restarted node, deleted.
/// </summary>
public sealed class ConsoleTailerPersistenceSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly ConsoleTailerSettings Fast = new() { PollInterval = TimeSpan.FromMilliseconds(50) };

    private readonly string _stateRoot = InProcessCluster.NewStateRoot();
    private readonly Guid _id = Guid.NewGuid();
    private ActorSystem? _node;

    private string Log => Path.Combine(_stateRoot, "console.log");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_stateRoot);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.Terminate();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_stateRoot, recursive: true); } catch (IOException) { }
    }

    private ActorSystem StartNode()
    {
        var env = new Dictionary<string, string>
        {
            ["CLOUD_ACTORS_NODE"] = "compute1",
            ["CLOUD_ACTORS_ROLES"] = NodeRoles.Compute,
            ["CLOUD_ACTORS_PORT"] = "0",
            ["CLOUD_ACTORS_STATE_DIR"] = Path.Combine(_stateRoot, "compute1"),
            ["CLOUD_ACTORS_DRIVER"] = "fake",
        };
        var settings = NodeSettings.Load(InProcessCluster.HoconDir, v => env.GetValueOrDefault(v));
        // Persistence and serialization as the node has them; no cluster, which this does not need and is slow to leave.
        var config = Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.provider = local").WithFallback(settings.Config);
        return _node = ActorSystem.Create(NodeSettings.SystemName, config);
    }

    private async Task<string> ConsoleLog(IActorRef tailer) =>
        (await tailer.Ask<ConsoleOutput>(new GetConsoleOutput(_id, null), Timeout)).Text;

    /// <summary>Stops the tailer (it saves its position as it stops) and waits until the store has that position.</summary>
    private async Task StopAndAwaitSaved(ActorSystem node, IActorRef tailer, long offset)
    {
        await tailer.GracefulStop(Timeout);
        var deadline = DateTime.UtcNow + Timeout;
        while ((await Load(node))?.Offset != offset)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the position {offset} was never saved");
            await Task.Delay(20);
        }
    }

    private async Task<ConsoleTailPosition?> Load(ActorSystem node)
    {
        var store = Persistence.Instance.Apply(node).SnapshotStoreFor(null);
        var result = await store.Ask<LoadSnapshotResult>(
            new LoadSnapshot($"console-{_id}", SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout);
        return (ConsoleTailPosition?)result.Snapshot?.Snapshot;
    }

    [Fact]
    public async Task A_restarted_node_resumes_its_console_where_it_was_even_after_a_rotation()
    {
        File.WriteAllText(Log, "a\n");
        var node = StartNode();
        var tailer = node.ActorOf(ConsoleTailer.Props(_id, Log, Fast, loginPromptKnown: false));
        Assert.Equal("a\n", await ConsoleLog(tailer));
        await StopAndAwaitSaved(node, tailer, 2);

        // Saved a second time under the same sequence number: the newer position wins.
        File.AppendAllText(Log, "b\n");
        tailer = node.ActorOf(ConsoleTailer.Props(_id, Log, Fast, loginPromptKnown: false));
        Assert.Equal("a\nb\n", await ConsoleLog(tailer));
        await StopAndAwaitSaved(node, tailer, 4);
        await node.Terminate();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        // While the node is down the guest writes on and virtlogd rotates console.log.
        File.AppendAllText(Log, "c\n");
        File.Move(Log, Log + ".0");
        File.WriteAllText(Log, "d\n");

        node = StartNode();
        tailer = node.ActorOf(ConsoleTailer.Props(_id, Log, Fast, loginPromptKnown: false));
        Assert.Equal("a\nb\nc\nd\n", await ConsoleLog(tailer));

        tailer.Tell(ForgetConsole.Instance);
        var deadline = DateTime.UtcNow + Timeout;
        while (await Load(node) is not null)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the saved position was never deleted");
            await Task.Delay(20);
        }
    }
}
