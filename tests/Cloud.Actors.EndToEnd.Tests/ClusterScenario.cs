namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// A test that runs a scenario on <see cref="TestCluster"/>. Each scenario's commands go to the
/// test output; when the scenario fails, the tails of the node logs follow them.
/// </summary>
[Collection(EndToEndCollection.Name)]
public abstract class ClusterScenario
{
    protected ClusterScenario(TestCluster cluster, ITestOutputHelper output)
    {
        Cluster = cluster;
        Output = output;
        cluster.Output = output;
    }

    protected TestCluster Cluster { get; }

    protected ITestOutputHelper Output { get; }

    protected async Task Scenario(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            Output.WriteLine("");
            Output.WriteLine("==== the scenario failed; node logs follow ====");
            Output.WriteLine(Cluster.LogTails());
            throw;
        }
    }
}

/// <summary>A scenario that starts from nothing (no node, no state) and stops its cluster at the end, even on failure.</summary>
public abstract class FreshClusterScenario(TestCluster cluster, ITestOutputHelper output)
    : ClusterScenario(cluster, output), IAsyncLifetime
{
    public Task InitializeAsync() => Cluster.ResetAsync();

    public Task DisposeAsync() => Cluster.DownAsync();
}
