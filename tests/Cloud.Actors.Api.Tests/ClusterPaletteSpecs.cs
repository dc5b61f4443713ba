using Akka.Cluster;
using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Tests;

public sealed class ClusterPaletteSpecs(SingleNodeCluster node) : IClassFixture<SingleNodeCluster>
{
    private readonly ShellDispatcher _dispatcher = new([new ClusterPalette(node.System)]);
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private Task<int> Run(params string[] args) =>
        _dispatcher.ExecuteAsync(args, _output, _error, CancellationToken.None);

    [Fact]
    public async Task Show_lists_the_single_member_as_up_reachable_and_leader()
    {
        var self = Cluster.Get(node.System).SelfAddress;

        var exitCode = await Run("cluster", "show");

        Assert.Equal(0, exitCode);
        var lines = _output.ToString().Split('\n');
        Assert.Equal("| Address | Status | Roles | Leader | Reachable | Self |",
            System.Text.RegularExpressions.Regex.Replace(lines[1], " +", " "));
        Assert.Equal($"| {self} | Up | | yes | yes | yes |",
            System.Text.RegularExpressions.Regex.Replace(lines[3], " +", " "));
    }

    [Fact]
    public async Task Down_unreachable_reports_that_there_is_nothing_to_down()
    {
        var exitCode = await Run("cluster", "down-unreachable");

        Assert.Equal(0, exitCode);
        Assert.Equal("No unreachable members.\n", _output.ToString());
    }

    [Fact]
    public async Task Join_rejects_something_that_is_not_an_address()
    {
        var exitCode = await Run("cluster", "join", "not-an-address");

        Assert.Equal(1, exitCode);
        Assert.Contains("'not-an-address'", _error.ToString());
    }
}
