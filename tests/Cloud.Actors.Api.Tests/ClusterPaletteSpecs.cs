using Akka.Actor;
using Akka.Cluster;
using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Tests;

public sealed class ClusterPaletteSpecs(SingleNodeCluster node) : IClassFixture<SingleNodeCluster>
{
    private readonly ShellDispatcher _dispatcher = new([new ClusterPalette(node.System, "controller")]);
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
        Assert.Equal($"| {self} | Up | controller | yes | yes | yes |",
            System.Text.RegularExpressions.Regex.Replace(lines[3], " +", " "));
    }

    [Fact]
    public async Task Leader_prints_the_leader_and_the_leader_of_each_role()
    {
        var self = Cluster.Get(node.System).SelfAddress;

        var exitCode = await Run("cluster", "leader");

        Assert.Equal(0, exitCode);
        Assert.Equal($"Leader: {self}\nRole leaders:\n  controller  {self}\n", _output.ToString());
    }

    [Fact]
    public async Task Status_shows_this_nodes_own_view_and_that_it_leads_and_hosts_the_singletons()
    {
        var self = Cluster.Get(node.System).SelfAddress;

        var exitCode = await Run("cluster", "status");

        Assert.Equal(0, exitCode);
        var rows = PropertyRows(_output.ToString());
        Assert.Equal(
            [
                "Address", "Status", "Roles", "Uptime", "Members", "Unreachable", "Leader", "Is leader",
                "Oldest controller", "Hosts the singletons",
            ],
            rows.Keys);
        Assert.Equal(self.ToString(), rows["Address"]);
        Assert.Equal("Up", rows["Status"]);
        Assert.Equal("controller", rows["Roles"]);
        Assert.Matches(@"^\d\d:\d\d:\d\d \(since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$", rows["Uptime"]);
        Assert.Equal("1 (1 Up)", rows["Members"]);
        Assert.Equal("none", rows["Unreachable"]);
        Assert.Equal(self.ToString(), rows["Leader"]);
        Assert.Equal("yes", rows["Is leader"]);
        Assert.Equal(self.ToString(), rows["Oldest controller"]);
        Assert.Equal("yes", rows["Hosts the singletons"]);
    }

    [Fact]
    public async Task A_node_that_has_not_joined_has_no_leader_and_is_not_a_member()
    {
        var lone = ActorSystem.Create("lone", "akka.actor.provider = cluster\nakka.remote.dot-netty.tcp.port = 0\nakka.loglevel = WARNING");
        try
        {
            var dispatcher = new ShellDispatcher([new ClusterPalette(lone, "controller")]);
            var self = Cluster.Get(lone).SelfAddress;

            var leader = await dispatcher.ExecuteAsync(["cluster", "leader"], _output, _error, CancellationToken.None);
            var status = await dispatcher.ExecuteAsync(["cluster", "status"], _output, _error, CancellationToken.None);

            Assert.Equal(1, leader);
            Assert.Equal($"{self} sees no leader: it has not joined a cluster yet, or no member it can reach may lead.\n", _error.ToString());
            Assert.Equal(0, status);
            var rows = PropertyRows(_output.ToString());
            Assert.Equal(("not a member", "0", "none", "no", "none", "no"),
                (rows["Status"], rows["Members"], rows["Leader"], rows["Is leader"], rows["Oldest controller"], rows["Hosts the singletons"]));
        }
        finally
        {
            await lone.Terminate();
        }
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

    // The rows of a Property | Value table, in order.
    private static Dictionary<string, string> PropertyRows(string table) =>
        table.Split('\n')
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| Property ", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1], cells => cells[2]);
}
