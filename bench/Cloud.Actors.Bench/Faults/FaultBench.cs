using System.Diagnostics;
using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Bench.Faults;

/// <summary>
/// <c>./cluster.sh bench faults</c> and <c>./cluster.sh bench handover</c>: a cluster of its own (fake driver, PostgreSQL,
/// several controllers, each node in a network namespace where that is possible) booting through the REST API of every
/// controller while nodes are killed with SIGKILL.
/// <list type="bullet">
/// <item>faults: a random node is killed every few seconds and started again with <c>cluster.sh up</c>, one fault at a
/// time, the next a few seconds after the last is back (so the split-brain resolver always has a majority); the
/// boots are paced (10/s) so that they span the faults;</item>
/// <item>handover: the oldest controller, where the singletons run, is killed once, a third into the boots, and left
/// down; the boots go on through the others.</item>
/// </list>
/// Then the cloud settles and the table compares it with what the clients were told.
/// </summary>
public static class FaultBench
{
    public static async Task<int> RunAsync(string mode, string[] args)
    {
        var options = FaultOptions.Parse(mode, args);
        var repository = Environment.GetEnvironmentVariable("CLOUD_ACTORS_REPO") is { Length: > 0 } repo
            ? repo : throw new ArgumentException("CLOUD_ACTORS_REPO is not set: run it as ./cluster.sh bench " + mode);
        var netns = options.Netns ?? (Environment.UserName == "root" && File.Exists("/usr/sbin/ip"));
        var cluster = new ClusterScript(repository, Path.Combine(repository, $".cluster-{mode}"), options.BasePort,
            new Dictionary<string, string>
            {
                // Fake hosts large enough that capacity never refuses a boot; the load keeps the seed /24 from filling.
                ["CLOUD_ACTORS_FAKE_VCPUS"] = "256",
                ["CLOUD_ACTORS_FAKE_MEMORY_MB"] = "1048576",
                ["CLOUD_ACTORS_FAKE_DISK_GB"] = "100000",
                ["CLOUD_ACTORS_UP_TIMEOUT"] = "180",
            });
        string[] up = ["up", "--driver", "fake", "--persistence", "postgres", "--controllers", options.Controllers.ToString(),
            "--computes", options.Computes.ToString(), .. netns ? new[] { "--netns" } : []];
        Console.WriteLine($"Cloud.Actors {mode} benchmark: {options.Boots} boots through the REST API of {options.Controllers} controllers, " +
                          $"{options.Computes} fake computes, PostgreSQL{(netns ? ", each node in its own network namespace" : "")}; " +
                          (mode == "handover" ? "the oldest controller is killed a third of the way in"
                              : $"a random node killed -9 every {options.KillEvery.TotalSeconds:0} s and started again"));

        await cluster.RunOkAsync(TimeSpan.FromMinutes(2), "down", "--purge");
        try
        {
            Console.WriteLine("  starting the cluster ...");
            await cluster.RunOkAsync(TimeSpan.FromMinutes(4), up);
            var nodes = await cluster.EndpointsAsync();
            using var client = new CloudClient();
            await client.LoginAsync(nodes.First(n => n.IsController).Identity!);

            var down = new HashSet<string>();
            IReadOnlyList<(string Name, string Compute)> Live()
            {
                lock (down) return nodes.Where(n => n.IsController && !down.Contains(n.Name)).Select(n => (n.Name, n.Compute!)).ToList();
            }
            var load = new BootLoad(client, Live, options.Boots, options.Concurrency, options.KeepAlive, options.Rate);
            using var stop = new CancellationTokenSource();
            var loading = load.RunAsync(stop.Token);
            var faults = new List<(string Node, TimeSpan At, TimeSpan Rejoin)>();
            var downed = new List<string>();
            TimeSpan? killedAt = null;
            string? killed = null;
            var random = new Random(options.Seed);
            var progress = Stopwatch.StartNew();
            while (!loading.IsCompleted)
            {
                await Task.WhenAny(loading, Task.Delay(mode == "handover" ? TimeSpan.FromMilliseconds(200) : options.KillEvery));
                if (loading.IsCompleted) break;
                if (progress.Elapsed > TimeSpan.FromSeconds(10))
                {
                    Console.WriteLine($"  ... {load.Sent} of {options.Boots} boots sent, {load.Attempts.Count(a => a.Id is not null)} accepted, {load.Elapsed.TotalSeconds:0} s");
                    progress.Restart();
                }
                if (mode == "handover")
                {
                    if (killed is not null || load.Sent < options.Boots / 3) continue;
                    nodes = await cluster.EndpointsAsync();
                    var oldest = nodes.First(n => n.Name == "controller");
                    lock (down) down.Add(oldest.Name);
                    await ClusterScript.KillAsync(oldest);
                    // Once it is dead (within 50 ms of the signal): a boot sent just before could still be answered
                    // by its singletons and pass for a resumed one.
                    killedAt = load.Elapsed;
                    killed = oldest.Name;
                    Console.WriteLine($"  kill -9 {oldest.Name} (the singletons' host) at {killedAt.Value.TotalSeconds:0.0} s, {load.Sent} boots sent");
                    continue;
                }
                nodes = await cluster.EndpointsAsync();
                var victims = nodes.OrderBy(_ => random.Next()).Take(options.Together).ToList();
                var at = load.Elapsed;
                lock (down) down.UnionWith(victims.Select(v => v.Name));
                await Task.WhenAll(victims.Select(ClusterScript.KillAsync));
                var (code, output, error, took) = await cluster.RunAsync(TimeSpan.FromMinutes(3), up);
                var named = string.Join(" and ", victims.Select(v => v.Name));
                Console.WriteLine($"  kill -9 {named} at {at.TotalSeconds:0.0} s; cluster.sh up had {(victims.Count == 1 ? "it" : "them")} back (rejoined, ready) in {took.TotalSeconds:0.0} s" +
                                  (code == 0 ? "" : $" — up FAILED ({code}): {error.Trim().Split('\n').LastOrDefault()}"));
                faults.AddRange(victims.Select(v => (v.Name, at, code == 0 ? took : TimeSpan.MaxValue)));
                // A node that was not killed but had to be started again was downed by the split-brain resolver.
                var collateral = StartedBy(output).Where(n => victims.All(v => v.Name != n)).ToList();
                for (var retry = 0; code != 0 && retry < 3; retry++)
                {
                    (code, output, error, took) = await cluster.RunAsync(TimeSpan.FromMinutes(3), up);
                    collateral.AddRange(StartedBy(output).Where(n => victims.All(v => v.Name != n)));
                    Console.WriteLine($"  cluster.sh up again: {(code == 0 ? "every node back" : $"FAILED ({code})")} in {took.TotalSeconds:0.0} s");
                }
                foreach (var node in collateral.Distinct()) Console.WriteLine($"  {node} had exited without being killed: started again");
                downed.AddRange(collateral.Distinct());
                lock (down) down.ExceptWith(victims.Select(v => v.Name));
                nodes = await cluster.EndpointsAsync();
            }
            await loading;
            var loadTime = load.Elapsed;
            if (killed is not null)
            {
                // Back for the count: one cluster of every node at the end.
                var (code, _, _, took) = await cluster.RunAsync(TimeSpan.FromMinutes(3), up);
                faults.Add((killed, killedAt!.Value, code == 0 ? took : TimeSpan.MaxValue));
            }

            Console.WriteLine("  settling ...");
            var settled = await Settlement.SettleAsync(cluster, client, load, TimeSpan.FromMinutes(3), m => Console.WriteLine($"  {m}"));
            Report(mode, options, load, loadTime, faults, downed, killedAt, settled);
            return Met(mode, settled, faults, load, killedAt) && downed.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (!options.Keep) await cluster.RunAsync(TimeSpan.FromMinutes(2), "down", "--purge");
        }
    }

    /// <summary>From the kill to the first boot sent after it through a surviving controller and accepted.</summary>
    private static TimeSpan ResumeAfter(BootLoad load, TimeSpan killedAt) =>
        load.Attempts.Where(a => a.Id is not null && a.Controller != "controller" && a.SentAt > killedAt)
            .OrderBy(a => a.AnsweredAt).Select(a => a.AnsweredAt - killedAt).FirstOrDefault(TimeSpan.MaxValue);

    private static bool Met(string mode, SettledCloud s, List<(string Node, TimeSpan At, TimeSpan Rejoin)> faults, BootLoad load, TimeSpan? killedAt) =>
        s.Lost == 0 && s.Stuck == 0 && s.DuplicateGuests == 0 && s.LeakedGuests == 0 && s.UsageMismatches == 0 && s.OneCluster
        && s.DeletesNotDone == 0 && faults.All(f => f.Rejoin <= TimeSpan.FromSeconds(30))
        && (mode != "handover" || (s.Error == 0 && killedAt is { } at && ResumeAfter(load, at) <= TimeSpan.FromSeconds(10)));

    /// <summary>The nodes a cluster.sh up started ("==> started compute1 (pid ...").</summary>
    private static IEnumerable<string> StartedBy(string output) =>
        output.Split('\n').Where(l => l.StartsWith("==> started ", StringComparison.Ordinal)).Select(l => l["==> started ".Length..].Split(' ')[0]);

    private static void Report(string mode, FaultOptions options, BootLoad load, TimeSpan loadTime,
        List<(string Node, TimeSpan At, TimeSpan Rejoin)> faults, List<string> downed, TimeSpan? killedAt, SettledCloud s)
    {
        var unknown = load.Attempts.Count(a => a.Id is null && !a.Refused);
        var refused = load.Attempts.Count(a => a.Refused);
        var table = new TextTable("Measure", "Value", "Target");
        table.AddRow("boots sent (REST, through every controller)", $"{load.Attempts.Count} in {loadTime.TotalSeconds:0} s", "");
        table.AddRow("accepted (202)", $"{s.Accepted}", "");
        table.AddRow("refused (4xx)", $"{refused}", "");
        table.AddRow("no answer (the controller asked died, or 5xx)", $"{unknown}, of which {s.CreatedUnanswered} exist", "");
        table.AddRow("deletes accepted (204) / no answer", $"{load.Deleted.Count} / {load.DeleteUnknown.Count}", "");
        table.AddRow("ACTIVE at the end", $"{s.Active}", "");
        table.AddRow("ERROR at the end", $"{s.Error}", mode == "handover" ? "0" : "each with a fault naming the host failure");
        foreach (var fault in s.ErrorFaults.Take(5)) table.AddRow("  fault", fault, "");
        table.AddRow("lost (accepted, not deleted, gone)", $"{s.Lost}", "0");
        table.AddRow("deleted (204) but still there", $"{s.DeletesNotDone}", "0");
        table.AddRow("stuck in BUILD or a task state", $"{s.Stuck}", "0");
        table.AddRow("duplicate guests (one server on two hosts)", $"{s.DuplicateGuests}", "0");
        table.AddRow("guests left over (no server owns them)", $"{s.LeakedGuests}", "0");
        table.AddRow("hosts whose usage is not the sum of their servers", $"{s.UsageMismatches}", "0");
        foreach (var m in s.Mismatches.Take(5)) table.AddRow("  mismatch", m, "");
        table.AddRow("one cluster at the end (every node sees the same members Up)", s.OneCluster ? "yes" : $"no: {s.Membership}", "yes");
        table.AddRow("faults injected (kill -9)", $"{faults.Count}: {string.Join(", ", faults.GroupBy(f => f.Node).Select(g => $"{g.Key} ×{g.Count()}"))}", "");
        if (faults.Count > 0)
        {
            var longest = faults.Max(f => f.Rejoin);
            table.AddRow("longest rejoin (cluster.sh up: Up and ready)", longest == TimeSpan.MaxValue ? "an up failed" : $"{longest.TotalSeconds:0.0} s", "<= 30 s");
        }
        table.AddRow("nodes downed without being killed (split-brain resolver)", downed.Count == 0 ? "0" : $"{downed.Count}: {string.Join(", ", downed)}", "0");
        if (killedAt is { } at)
        {
            var resume = ResumeAfter(load, at);
            table.AddRow("boots through the survivor resume after the kill", resume == TimeSpan.MaxValue ? "never" : $"{resume.TotalSeconds:0.0} s", "<= 10 s");
        }
        var slow = load.Attempts.Where(a => a.AnsweredAt - a.SentAt > TimeSpan.FromSeconds(5)).ToList();
        table.AddRow("boots answered after more than 5 s", slow.Count == 0 ? "0"
            : $"{slow.Count}, sent {slow.Min(a => a.SentAt).TotalSeconds:0.0}-{slow.Max(a => a.SentAt).TotalSeconds:0.0} s in, longest {slow.Max(a => a.AnsweredAt - a.SentAt).TotalSeconds:0.0} s", "");
        table.AddRow("settled after the load", $"{s.SettleTime.TotalSeconds:0} s", "");
        Console.WriteLine(table.Render());
        foreach (var id in s.LostIds.Take(10)) Console.WriteLine($"  lost: {id}");
        foreach (var id in s.UndeletedIds.Take(10)) Console.WriteLine($"  deleted (204) but still there: {id}");
    }
}

internal sealed record FaultOptions(int Boots, int Controllers, int Computes, int Concurrency, int KeepAlive, TimeSpan KillEvery, bool? Netns,
    int BasePort, int Seed, bool Keep, double Rate, int Together = 1)
{
    public static FaultOptions Parse(string mode, string[] args)
    {
        var o = mode == "handover"
            ? new FaultOptions(500, 2, 3, 8, 150, TimeSpan.FromSeconds(5), null, 21053, 7, false, 0)
            // 10 boots/s: the boots span the faults (one node down at a time, the next killed 8 s after the last is back:
            // the heartbeats to a node that has just rejoined settle first, or the resolver may take it for indirectly
            // connected when another node dies).
            : new FaultOptions(1000, 2, 3, 8, 150, TimeSpan.FromSeconds(8), null, 21053, 7, false, 10);
        for (var i = 0; i < args.Length; i++)
        {
            int Value() => i + 1 < args.Length && int.TryParse(args[++i], out var v) && v > 0
                ? v : throw new ArgumentException($"{args[i - 1]} needs a positive number");
            o = args[i] switch
            {
                "--boots" => o with { Boots = Value() },
                "--controllers" => o with { Controllers = Value() },
                "--computes" => o with { Computes = Value() },
                "--concurrency" => o with { Concurrency = Value() },
                "--keep-alive" => o with { KeepAlive = Value() },
                "--kill-every" => o with { KillEvery = TimeSpan.FromSeconds(Value()) },
                "--rate" => o with { Rate = Value() },
                "--together" => o with { Together = Value() },
                "--seed" => o with { Seed = Value() },
                "--netns" => o with { Netns = true },
                "--no-netns" => o with { Netns = false },
                "--keep" => o with { Keep = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}' (expected --boots, --controllers, --computes, --concurrency, " +
                                                 "--keep-alive, --kill-every, --rate, --together, --seed, --netns, --no-netns, --keep)"),
            };
        }
        if (o.Controllers < 2 && mode == "handover") throw new ArgumentException("handover needs --controllers 2 or more");
        // The split-brain resolver keeps the side with the majority: kill fewer than half of the nodes at once.
        if (o.Together * 2 >= o.Controllers + o.Computes)
            throw new ArgumentException($"--together {o.Together}: kill fewer than half of the {o.Controllers + o.Computes} nodes at once");
        return o;
    }
}
