using System.Diagnostics;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>A compute node killed with SIGKILL while instances are being built, then restarted by cluster.sh up.</summary>
public sealed class ComputeCrashSpecs(TestCluster cluster, ITestOutputHelper output)
    : FreshClusterScenario(cluster, output)
{
    private static readonly string[] Names = ["k-1", "k-2", "k-3", "k-4", "k-5", "k-6"];

    // Akka's split-brain resolver takes ~20 s to down the dead node before its new incarnation rejoins.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public Task Kill_9_of_a_compute_during_boots_leaves_nothing_stuck() => Scenario(async () =>
    {
        await Cluster.UpAsync(computes: 2);
        await Cluster.NovaOkAsync("keypair-add", "miclave");
        var network = await Cluster.PrivadaNetworkIdAsync();

        // Six boots at once, no --poll; compute1 dies as soon as the first is accepted.
        var boots = Names.Select(name => Cluster.NovaAsync(TestCluster.BootArguments(name, network))).ToList();
        await Task.WhenAny(boots);
        await Cluster.KillNodeAsync("compute1");
        var accepted = await Task.WhenAll(boots);
        // The controller took every request: it records a boot before it answers, whatever the host does.
        Assert.All(accepted, boot => Assert.True(boot.ExitCode == 0, boot.ToString()));
        LogList("right after the kill", await Cluster.ListAsync());

        // The same topology is running but for compute1: up starts only compute1, and returns
        // once the new compute1 has joined (after the cluster downed the killed one).
        var up = await Cluster.UpAsync(computes: 2);
        Assert.Contains("started compute1", up.Output);
        Assert.DoesNotContain("started compute2", up.Output);
        Assert.DoesNotContain("started controller", up.Output);
        var compute1 = NovaTables.Rows(await Cluster.RunOkAsync(TestCluster.CommandTimeout,
            "cmd", $"{TestCluster.Host}:{Cluster.ShellBasePort + 1}", "cluster", "show"));
        Assert.Equal("Up", Assert.Single(compute1, member => member["Self"] == "yes")["Status"]);

        var clock = Stopwatch.StartNew();
        IReadOnlyList<IReadOnlyDictionary<string, string>> list;
        while (true)
        {
            list = await Cluster.ListAsync();
            if (list.All(row => row["Task State"] == "-" && row["Status"] != "BUILD"))
                break;
            if (clock.Elapsed > SettleTimeout)
            {
                LogList($"still busy {SettleTimeout.TotalSeconds}s after the restart", list);
                Assert.Fail($"instances still in BUILD or a task {SettleTimeout.TotalSeconds}s after compute1 restarted");
            }
            await Task.Delay(1000);
        }
        Output.WriteLine($"every instance settled {clock.Elapsed.TotalSeconds:0.0}s after cluster.sh up returned");
        LogList("settled", list);

        // compute1 is back in service.
        await WaitForHypervisorUpAsync("compute1");

        Assert.Equal(Names.Order(), list.Select(row => row["Name"]).Order());
        Assert.All(list, row => Assert.Contains(row["Status"], new[] { "ACTIVE", "ERROR" }));
        foreach (var name in Names)
        {
            var show = await Cluster.ShowAsync(name);
            Output.WriteLine($"{name}: {show["status"]} on {show["OS-EXT-SRV-ATTR:host"]}" +
                             (show.TryGetValue("fault", out var fault) ? $", fault {fault}" : ""));
            Assert.Equal("-", show["OS-EXT-STS:task_state"]);
            if (show["status"] == "ACTIVE")
            {
                Assert.Contains(show["OS-EXT-SRV-ATTR:host"], new[] { "compute1", "compute2" });
                Assert.Equal(("active", "1"), (show["OS-EXT-STS:vm_state"], show["OS-EXT-STS:power_state"]));
            }
            else
            {
                Assert.Equal("error", show["OS-EXT-STS:vm_state"]);
            }
        }
    });

    private async Task WaitForHypervisorUpAsync(string host)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var hypervisors = NovaTables.Rows(await Cluster.NovaOkAsync("hypervisor-list"));
            var row = hypervisors.SingleOrDefault(h => h["Hypervisor hostname"] == host);
            if (row is not null && row["State"] == "up" && row["Status"] == "enabled")
                return;
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
                Assert.Fail($"{host} not up and enabled in nova hypervisor-list 30 s after the restart: " +
                            (row is null ? "absent" : $"{row["State"]}, {row["Status"]}"));
            await Task.Delay(1000);
        }
    }

    private void LogList(string when, IReadOnlyList<IReadOnlyDictionary<string, string>> list)
    {
        Output.WriteLine($"nova list, {when}:");
        foreach (var row in list.OrderBy(r => r["Name"], StringComparer.Ordinal))
            Output.WriteLine($"  {row["Name"]}  {row["Status"]}  task {row["Task State"]}  power {row["Power State"]}");
    }
}
