using Cloud.Actors.Api.Application;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// The same three-node cluster with CLOUD_ACTORS_PERSISTENCE=postgres: every node's journal and snapshots in one
/// shared PostgreSQL database (a fresh one per run). Needs PostgreSQL on 127.0.0.1:5432: ./cluster.sh setup.
/// </summary>
public sealed class PostgresClusterSpecs : IAsyncLifetime
{
    private PostgresTestDatabase? _database;
    private InProcessCluster? _cluster;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _cluster = _database.Cluster();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_instance_survives_a_restart_of_every_node_on_the_shared_database()
    {
        var cluster = _cluster!;
        await cluster.StartAsync();
        var booted = await cluster.Nova.Boot(new BootArguments("pg-1", "cirros", "1", null, [InProcessCluster.Privada]), RequestContext.ShellAdmin);
        var id = booted.Single().State.Id.ToString();
        var before = await Eventually.Satisfies(async () => (await cluster.Nova.Show(id, RequestContext.ShellAdmin)).State, s => s.Status == "ACTIVE");
        Assert.Contains(before.Host, InProcessCluster.DefaultComputes);

        // The controller and the instance's host wrote to the one database: the directory, the host's list, the instance.
        var written = await _database!.JournalPersistenceIds();
        Assert.Contains("directory", written.Keys);
        Assert.Contains($"compute-{before.Host}", written.Keys);
        Assert.Contains($"instance-{id}", written.Keys);

        await cluster.StopAsync();
        await cluster.StartAsync();

        var after = await Eventually.Satisfies(async () => (await cluster.Nova.Show(id, RequestContext.ShellAdmin)).State,
            s => s.Status == "ACTIVE" && s.Host == before.Host);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.Host, after.Host);
        Assert.Equal(before.Spec.Number, after.Spec.Number);
        Assert.Equal(before.Spec.Name, after.Spec.Name);
        Assert.Equal((before.VmState, before.TaskState, before.PowerState), (after.VmState, after.TaskState, after.PowerState));
        Assert.Single(await cluster.Nova.List(RequestContext.ShellAdmin, allProjects: true), f => f.State.Id == before.Id);

        // Three nodes initializing the tables of one fresh database at once did not collide (PostgresSchema).
        Assert.DoesNotContain(cluster.Errors, e => e.Contains("initializ", StringComparison.OrdinalIgnoreCase));
    }
}
