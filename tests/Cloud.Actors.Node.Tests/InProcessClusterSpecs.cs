using Akka.Cluster;
using Cloud.Actors.Api.Application;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// A controller and two compute hosts as three actor systems on 127.0.0.1 (random ports), composed exactly as
/// the node program composes them from hocon/, each with its own SQLite journal.
/// </summary>
public sealed class InProcessClusterSpecs : IAsyncLifetime
{
    private readonly InProcessCluster _cluster = new(InProcessCluster.NewStateRoot());

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_boot_lands_on_a_compute_host()
    {
        var nova = _cluster.Nova;
        var booted = await nova.Boot(new BootArguments("test2", "cirros", "1", null, [InProcessCluster.Privada]), RequestContext.ShellAdmin);
        var id = booted.Single().State.Id.ToString();
        var active = await Eventually.Satisfies(async () => (await nova.Show(id, RequestContext.ShellAdmin)).State, s => s.Status == "ACTIVE");
        Assert.Contains(active.Host, new[] { "compute1", "compute2" });
    }

    [Fact]
    public async Task A_host_that_leaves_the_cluster_gets_no_new_instances()
    {
        var nova = _cluster.Nova;
        var leaving = Cluster.Get(_cluster.Node("compute2")).SelfAddress;
        var cluster = Cluster.Get(_cluster.Controller);
        cluster.Leave(leaving);
        await Eventually.True(() => Task.FromResult(cluster.State.Members.All(m => m.Address != leaving)), "compute2 removed");

        var hosts = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            var id = (await nova.Boot(new BootArguments($"after-{i}", "cirros", "1", null, [InProcessCluster.Privada]), RequestContext.ShellAdmin)).Single().State.Id;
            var active = await Eventually.Satisfies(async () => (await nova.Show(id.ToString(), RequestContext.ShellAdmin)).State, s => s.Status == "ACTIVE");
            hosts.Add(active.Host);
        }
        Assert.All(hosts, h => Assert.Equal("compute1", h));
    }
}
