using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Console;
using DirectorySnapshot = Cloud.Actors.Controller.Directory.DirectorySnapshot;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Virt.Fake;
using static Cloud.Actors.Node.Tests.Releases.Release064f270;

namespace Cloud.Actors.Node.Tests.Releases;

/// <summary>
/// One snapshot of each snapshot type as release 064f270 wrote it (serializer 7401 with the CLR type name as manifest;
/// Newtonsoft for the compute actor's old InstanceAssigned[] shape), loaded through the node's SQLite snapshot store,
/// and the compute actor recovering from both of its snapshot shapes.
/// </summary>
public sealed class Release064f270SnapshotSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _stateDir = Path.Combine(InProcessCluster.NewStateRoot(), "node");
    private ActorSystem _node = null!;

    public Task InitializeAsync()
    {
        CopySnapshots(_stateDir);
        var env = new Dictionary<string, string>
        {
            ["CLOUD_ACTORS_NODE"] = "node",
            ["CLOUD_ACTORS_PORT"] = "0",
            ["CLOUD_ACTORS_STATE_DIR"] = _stateDir,
            ["CLOUD_ACTORS_DRIVER"] = "fake",
        };
        var settings = NodeSettings.Load(InProcessCluster.HoconDir, v => env.GetValueOrDefault(v));
        // The node's persistence and serializers; no cluster, which loading snapshots does not need.
        _node = ActorSystem.Create(NodeSettings.SystemName,
            ConfigurationFactory.ParseString("akka.actor.provider = local").WithFallback(settings.Config));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node.Terminate();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Path.GetDirectoryName(_stateDir)!, recursive: true); } catch (IOException) { }
    }

    private async Task<SelectedSnapshot> Load(string persistenceId)
    {
        var store = Persistence.Instance.Apply(_node).SnapshotStoreFor(null);
        var result = await store.Ask<LoadSnapshotResult>(new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout);
        return result.Snapshot ?? throw new InvalidOperationException($"no snapshot of {persistenceId}");
    }

    public static TheoryData<string, long, string, string, int, string> Instances() => new()
    {
        { Renamed.ToString(), 5, "fx-renamed", "active", 1, "compute1" },
        { Paused.ToString(), 6, "fx-paused", "paused", 3, "compute1" },
        { Rebooted.ToString(), 6, "fx-rebooted", "active", 1, "compute1" },
        { Rebuilt.ToString(), 6, "fx-rebuilt", "active", 1, "compute1" },
        { Stopped.ToString(), 6, "fx-stopped", "stopped", 4, "compute2" },
        { Suspended.ToString(), 6, "fx-suspended", "suspended", 4, "compute2" },
    };

    [Theory]
    [MemberData(nameof(Instances))]
    public async Task An_instance_state_reads_back(string id, long sequenceNr, string name, string vmState, int powerState, string host)
    {
        var loaded = await Load($"instance-{id}");

        var state = Assert.IsType<InstanceState>(loaded.Snapshot);
        Assert.Equal(sequenceNr, loaded.Metadata.SequenceNr);
        Assert.Equal((Guid.Parse(id), name, vmState, (string?)null, powerState, host), (state.Id, state.Spec.Name, state.VmState, state.TaskState, state.PowerState, state.Host));
        Assert.Equal("m1.tiny", state.Spec.Flavor.Name);
        Assert.Equal("cirros", state.Spec.Image.Name);
        Assert.NotNull(state.LaunchedAt);
    }

    [Fact]
    public async Task The_directory_snapshot_reads_back()
    {
        var loaded = await Load("directory");

        var snapshot = Assert.IsType<DirectorySnapshot>(loaded.Snapshot);
        Assert.Equal(22, loaded.Metadata.SequenceNr);
        Assert.Equal(9, snapshot.NextNumber);
        Assert.Equal(["fx-paused", "fx-rebooted", "fx-rebuilt", "fx-renamed", "fx-stopped", "fx-suspended"],
            snapshot.Instances.Select(i => i.Spec.Name).Order(StringComparer.Ordinal));
        Assert.Equal("stopped", snapshot.Instances.Single(i => i.Id == Stopped).VmState);
    }

    [Fact]
    public async Task The_compute_snapshot_of_the_old_shape_reads_back_as_instance_assignments()
    {
        var loaded = await Load("compute-compute1");

        var assigned = Assert.IsType<InstanceAssigned[]>(loaded.Snapshot);
        Assert.Equal(4, loaded.Metadata.SequenceNr);
        Assert.Equal(new[] { Renamed, Paused, Rebooted, Rebuilt }.Order(), assigned.Select(a => a.InstanceId).Order());
        Assert.All(assigned, a => Assert.Equal(new Domain.Catalog.Resources(1, 512, 1), a.Resources));
    }

    [Fact]
    public async Task The_compute_snapshot_with_its_service_status_reads_back()
    {
        var loaded = await Load("compute-compute2");

        var snapshot = Assert.IsType<ComputeSnapshot>(loaded.Snapshot);
        Assert.Equal(5, loaded.Metadata.SequenceNr);
        Assert.Equal((false, "fixture maintenance"), (snapshot.Enabled, snapshot.DisabledReason));
        Assert.Equal(new[] { Stopped, Suspended }.Order(), snapshot.Instances.Select(a => a.InstanceId).Order());
    }

    [Fact]
    public async Task The_console_tail_position_reads_back()
    {
        var loaded = await Load($"console-{Renamed}");

        Assert.Equal(new ConsoleTailPosition(12345, "2049:131075", true), loaded.Snapshot);
        Assert.Equal(1, loaded.Metadata.SequenceNr);
    }

    [Theory]
    [InlineData("compute1", 4, true, null)]
    [InlineData("compute2", 2, false, "fixture maintenance")]
    public async Task A_compute_actor_recovers_its_instances_and_service_status_from_either_snapshot_shape(
        string host, int instances, bool enabled, string? reason)
    {
        var nobody = _node.ActorOf(Props.Empty);
        var compute = _node.ActorOf(ComputeActor.Props(new FakeHypervisor(), nobody, nobody,
            new ComputeSettings { Host = host, PassivateAfter = null }));

        var status = await compute.Ask<Domain.Messages.HostStatus>(GetHostStatus.Instance, Timeout);

        Assert.Equal(instances, status.Instances);
        Assert.Equal((enabled, reason), (status.Capabilities.Enabled, status.Capabilities.DisabledReason));
    }
}
