// Every test here drives one real cluster through cluster.sh, on fixed ports: none may run beside another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// The one collection of the end-to-end tests: they share one <see cref="TestCluster"/>
/// (state in <c>.cluster-e2e/</c>, remoting ports 24053-24055, shell ports 29110-29112), so they
/// run one at a time. The fixture stops any leftover cluster of theirs before the first test
/// and stops the cluster after the last, whatever the outcome.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<TestCluster>
{
    public const string Name = "cluster.sh end to end";
}
