using System.Diagnostics;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// The fault benchmarks, smaller: nodes killed with SIGKILL under REST load through two controllers (fake driver,
/// PostgreSQL, each node in a network namespace), then the settled cloud compared with what the clients were told. The
/// benchmark itself checks its targets (nothing lost or stuck, no duplicate or left-over guest, usage that adds up, one
/// cluster, rejoins within 30 s; for the hand-over also no ERROR and boots resuming within 10 s) and exits 0 when met.
/// </summary>
public sealed class FaultBenchSpecs(TestCluster cluster, ITestOutputHelper output) : ClusterScenario(cluster, output)
{
    [Fact]
    public Task Random_nodes_killed_under_load_leave_nothing_lost_stuck_duplicated_or_counted_twice() =>
        BenchAsync("faults", "--boots", "160", "--rate", "8", "--kill-every", "4", "--seed", "11");

    [Fact]
    public Task Killing_the_singletons_controller_fails_no_boot_and_boots_resume_within_ten_seconds() =>
        BenchAsync("handover", "--boots", "240");

    private async Task BenchAsync(params string[] args)
    {
        var bench = Path.Combine(Cluster.RepositoryRoot, "bench", "Cloud.Actors.Bench", "bin", "Release", "net10.0", "Cloud.Actors.Bench.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Cluster.RepositoryRoot };
        start.ArgumentList.Add(bench);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["CLOUD_ACTORS_REPO"] = Cluster.RepositoryRoot;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bench {args[0]} did not end within 8 minutes:\n{await stdout}");
        }
        Output.WriteLine(await stdout);
        Output.WriteLine(await stderr);
        Assert.True(process.ExitCode == 0, $"bench {args[0]} missed a target (exit {process.ExitCode}); its table is in the test output");
        Assert.Contains("| lost (accepted, not deleted, gone)", await stdout);
    }
}
