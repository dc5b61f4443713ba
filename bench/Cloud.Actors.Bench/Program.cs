using System.Diagnostics;
using Akka.Actor;
using Cloud.Actors.Api.Shell;
using Cloud.Actors.Bench;
using Microsoft.Data.Sqlite;

// ./cluster.sh bench [--boots N] [--hosts H] [--concurrency C] [--rate R] [--rate-boots M]
// ./cluster.sh bench guests [--guests N]: real guests vs bare virsh (GuestBench)
// ./cluster.sh bench faults|handover [...]: nodes killed -9 under REST load, then the settled cloud checked (FaultBench)
// Boots to ACTIVE per second with the fake driver, boot latency, memory per idle instance, and the raw
// journal write rate measured in the same process as the baseline the boot figures are compared with.
if (args is ["guests", ..]) return await GuestBench.RunAsync(args[1..]);
if (args is ["faults" or "handover", ..]) return await Cloud.Actors.Bench.Faults.FaultBench.RunAsync(args[0], args[1..]);

var options = BenchOptions.Parse(args);
Console.WriteLine($"Cloud.Actors benchmark: {options.Boots} boots over {options.Hosts} fake hosts, {options.Concurrency} in flight; " +
                  $"then {options.RateBoots} boots offered at {options.Rate}/s; SQLite journal");

await using var bench = await BootBench.Start(options.Hosts);
long Memory() { GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect(); return GC.GetTotalMemory(true); }

// 1. Throughput: as many boots as the cloud takes, a bounded number in flight.
var memoryBefore = Memory();
var eventsBefore = JournalRows(bench.JournalPath);
var latencies = new List<double>(options.Boots);
// CPU time, not only wall time: on a shared machine boots/s moves with the neighbours' load, CPU per boot much less.
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
var next = 0;
var progress = Stopwatch.StartNew();
async Task Worker()
{
    while (true)
    {
        var i = Interlocked.Increment(ref next);
        if (i > options.Boots) return;
        var (start, active) = await bench.BootOne($"bench-{i}");
        lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(start, active).TotalMilliseconds);
        if (progress.ElapsedMilliseconds > 2000)
        {
            lock (progress)
            {
                if (progress.ElapsedMilliseconds > 2000)
                {
                    Console.WriteLine($"  ... {bench.ActiveCount} ACTIVE after {clock.Elapsed.TotalSeconds:F1} s");
                    progress.Restart();
                }
            }
        }
    }
}
var workers = Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(Worker)));
while (await Task.WhenAny(workers, Task.Delay(5000)) != workers)
{
    var byStatus = (await bench.Nova.List(Cloud.Actors.Api.Application.RequestContext.ShellAdmin, allProjects: true))
        .GroupBy(i => $"{i.State.Status}/{i.State.TaskState ?? "-"}").Select(g => $"{g.Key}={g.Count()}");
    Console.WriteLine($"  ... {clock.Elapsed.TotalSeconds:F0} s: {string.Join(", ", byStatus)}");
}
await workers;
var bootSeconds = clock.Elapsed.TotalSeconds;
var cpuPerBoot = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / options.Boots;
var bootEvents = JournalRows(bench.JournalPath) - eventsBefore;
var throughputLatencies = latencies.Order().ToArray();

Console.WriteLine($"  {options.Boots} ACTIVE in {bootSeconds:F1} s; measuring memory, then {options.RateBoots} paced boots");
// 2. Memory per idle instance, with every instance ACTIVE and idle.
// Idle long enough for every instance actor to passivate, as it would on a real host after a while.
await Task.Delay(BootBench.PassivateAfter * 2);
var memoryPerInstance = (Memory() - memoryBefore) / (double)options.Boots;

// 3. Latency when offered a steady rate (boots/s), well under capacity.
var paced = new List<double>(options.RateBoots);
var pacedTasks = new List<Task>();
var pacedClock = Stopwatch.StartNew();
for (var i = 0; i < options.RateBoots; i++)
{
    var due = TimeSpan.FromSeconds(i / (double)options.Rate);
    var wait = due - pacedClock.Elapsed;
    if (wait > TimeSpan.Zero) await Task.Delay(wait);
    var n = i;
    pacedTasks.Add(Task.Run(async () =>
    {
        var (start, active) = await bench.BootOne($"paced-{n}");
        lock (paced) paced.Add(Stopwatch.GetElapsedTime(start, active).TotalMilliseconds);
    }));
}
await Task.WhenAll(pacedTasks);
var pacedLatencies = paced.Order().ToArray();

Console.WriteLine($"  paced boots done; raw journal baseline: {bootEvents} events");
// 4. Baseline: the raw journal write rate, PersistAsync of as many events as the boots wrote, same journal.
var writers = Enumerable.Range(0, 100).Select(i => bench.System.ActorOf(Props.Create(() => new RawJournalWriter($"raw-{i}")))).ToArray();
var perWriter = (int)Math.Ceiling(bootEvents / 100.0);
var rawClock = Stopwatch.StartNew();
await Task.WhenAll(writers.Select(w => w.Ask<RawJournalWriter.Written>(new RawJournalWriter.Write(perWriter), TimeSpan.FromMinutes(10))));
var rawSeconds = rawClock.Elapsed.TotalSeconds;
var rawRate = perWriter * 100 / rawSeconds;

var bootsPerSecond = options.Boots / bootSeconds;
var bootEventRate = bootEvents / bootSeconds;
var table = new TextTable("Measure", "Value", "Target");
table.AddRow("boots to ACTIVE", $"{options.Boots} in {bootSeconds:F2} s", "");
table.AddRow("boots/s (sustained)", $"{bootsPerSecond:F0}", ">= 1000");
table.AddRow("CPU per boot (process, all threads)", $"{cpuPerBoot:F2} ms", "");
table.AddRow($"boot latency p50 / p99 ({options.Concurrency} in flight)", $"{Percentile(throughputLatencies, 50):F1} / {Percentile(throughputLatencies, 99):F1} ms", "");
table.AddRow($"boot latency p50 / p99 (offered {options.Rate}/s)", $"{Percentile(pacedLatencies, 50):F1} / {Percentile(pacedLatencies, 99):F1} ms", "p50 < 20 ms");
table.AddRow("journal events per boot", $"{bootEvents / (double)options.Boots:F2}", "");
table.AddRow("boot events/s", $"{bootEventRate:F0}", "");
table.AddRow("raw journal rate (PersistAsync), events/s", $"{rawRate:F0}", "baseline");
table.AddRow("boot events/s : raw journal rate", $"{bootEventRate / rawRate:F2}", ">= 0.30");
table.AddRow($"boots/s : raw journal rate", $"{bootsPerSecond / rawRate:F3}", "");
table.AddRow($"memory per idle instance (at {options.Boots}, actors passivated)", $"{memoryPerInstance / 1024:F2} KB", "< 8 KB");
Console.WriteLine(table.Render());
return 0;

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

static long JournalRows(string path)
{
    using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT COUNT(*) FROM journal";
    return (long)command.ExecuteScalar()!;
}

internal sealed record BenchOptions(int Boots, int Hosts, int Concurrency, int Rate, int RateBoots)
{
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(10_000, 100, 256, 100, 1000);
        for (var i = 0; i < args.Length; i++)
        {
            int Value() => i + 1 < args.Length && int.TryParse(args[++i], out var v) && v > 0
                ? v : throw new ArgumentException($"{args[i - 1]} needs a positive number");
            o = args[i] switch
            {
                "--boots" => o with { Boots = Value() },
                "--hosts" => o with { Hosts = Value() },
                "--concurrency" => o with { Concurrency = Value() },
                "--rate" => o with { Rate = Value() },
                "--rate-boots" => o with { RateBoots = Value() },
                _ => throw new ArgumentException($"unknown option '{args[i]}' (expected --boots, --hosts, --concurrency, --rate, --rate-boots)"),
            };
        }
        return o;
    }
}
