using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cloud.Actors.Bench.Faults;

/// <summary>What the cloud looks like once it has settled after the faults, against what the load was told.</summary>
public sealed record SettledCloud(
    int Accepted, int Active, int Error, IReadOnlyList<string> ErrorFaults, int Lost, IReadOnlyList<string> LostIds, int Stuck,
    int DuplicateGuests, int LeakedGuests, int UsageMismatches, IReadOnlyList<string> Mismatches, bool OneCluster, string Membership,
    int CreatedUnanswered, int DeletesNotDone, IReadOnlyList<string> UndeletedIds, TimeSpan SettleTime);

/// <summary>
/// Waits until the cloud is quiet (one cluster seen alike from every node, no server in BUILD or a task state), then
/// compares it with what the load was told: every accepted boot exists unless its delete was accepted, nothing is stuck,
/// every server has exactly one guest on its host and no guest is left over, and each host's usage in os-hypervisors is
/// the sum over the servers it holds.
/// </summary>
public static partial class Settlement
{
    public static async Task<SettledCloud> SettleAsync(ClusterScript cluster, CloudClient client, BootLoad load, TimeSpan timeout, Action<string> progress)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ServerRow> servers = [];
        IReadOnlyList<HypervisorRow> hypervisors = [];
        var (oneCluster, membership) = (false, "");
        IReadOnlyList<NodeEndpoints> nodes = [];
        while (true)
        {
            try
            {
                nodes = await cluster.EndpointsAsync();
                (oneCluster, membership) = await MembershipAsync(cluster, nodes);
                var compute = nodes.First(n => n.IsController && n.Pid is not null).Compute!;
                servers = await client.ServersAsync(compute);
                hypervisors = await client.HypervisorsAsync(compute);
                var busy = servers.Count(Busy);
                if (oneCluster && busy == 0 && Usage(servers, hypervisors).Count == 0) break;
                if (clock.Elapsed > timeout)
                {
                    progress($"not settled after {timeout.TotalSeconds:0} s: one cluster {oneCluster}, {busy} busy; counting as it is");
                    break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                if (clock.Elapsed > timeout) throw;
            }
            await Task.Delay(2000);
        }
        var settleTime = clock.Elapsed;

        var present = servers.ToDictionary(s => s.Id);
        var accepted = load.Attempts.Where(a => a.Id is not null).ToList();
        var lost = accepted.Where(a => !present.ContainsKey(a.Id!) && !load.Deleted.ContainsKey(a.Id!) && !load.DeleteUnknown.ContainsKey(a.Id!))
            .Select(a => a.Id!).ToList();
        var undeleted = load.Deleted.Keys.Where(present.ContainsKey)
            .Select(id => $"{id} {present[id].Status}/{present[id].TaskState ?? "-"} on {present[id].Host ?? "no host"}").ToList();
        var unansweredNames = load.Attempts.Where(a => a.Id is null && !a.Refused).Select(a => a.Name).ToHashSet();
        var createdUnanswered = servers.Count(s => unansweredNames.Contains(s.Name));
        var stuck = servers.Count(Busy);
        var errors = servers.Where(s => s.Status == "ERROR").ToList();

        // Guests, as each compute host's hypervisor lists them (the shell's host palette).
        var guests = new List<(string Host, string Uuid, string Owner)>();
        foreach (var node in nodes.Where(n => !n.IsController && n.Pid is not null))
        {
            var (code, output, _, _) = await cluster.RunAsync(TimeSpan.FromSeconds(30), "cmd", node.Shell, "host", "guests", "--all");
            if (code != 0) continue;
            foreach (Match row in GuestRow().Matches(output))
                guests.Add((node.Name, row.Groups["uuid"].Value, row.Groups["owner"].Value.Trim()));
        }
        var owned = guests.Where(g => g.Owner == "instance").ToList();
        var duplicates = owned.GroupBy(g => g.Uuid).Count(g => g.Count() > 1);
        // The fake driver's hypervisor is the host's own: a guest no instance of the host owns is left over.
        var leaked = owned.Count(g => !present.ContainsKey(g.Uuid)) + guests.Count(g => g.Owner != "instance");

        var mismatches = Usage(servers, hypervisors);
        return new SettledCloud(accepted.Count, servers.Count(s => s.Status == "ACTIVE"), errors.Count,
            errors.GroupBy(e => e.Fault ?? "(no fault)").Select(g => $"{g.Count()} × {g.Key}").ToList(), lost.Count, lost, stuck,
            duplicates, leaked, mismatches.Count, mismatches, oneCluster, membership, createdUnanswered, undeleted.Count, undeleted, settleTime);
    }

    /// <summary>In BUILD or a task state: not settled yet, or stuck once the cloud is quiet.</summary>
    private static bool Busy(ServerRow s) => s.TaskState is not null || s.Status == "BUILD";

    /// <summary>Hosts whose os-hypervisors usage is not the sum over the servers on them.</summary>
    private static List<string> Usage(IReadOnlyList<ServerRow> servers, IReadOnlyList<HypervisorRow> hypervisors)
    {
        var mismatches = new List<string>();
        foreach (var h in hypervisors)
        {
            var on = servers.Where(s => s.Host == h.Host).ToList();
            var (vms, vcpus, ram) = (on.Count, on.Sum(s => s.Vcpus), on.Sum(s => s.MemoryMb));
            if (vms != h.RunningVms || vcpus != h.VcpusUsed || ram != h.MemoryMbUsed)
                mismatches.Add($"{h.Host}: os-hypervisors {h.RunningVms} VMs / {h.VcpusUsed} vCPU / {h.MemoryMbUsed} MB, servers {vms} / {vcpus} / {ram}");
        }
        return mismatches;
    }

    /// <summary>One cluster: every running node's `cluster show` lists the same members, all Up.</summary>
    public static async Task<(bool One, string Membership)> MembershipAsync(ClusterScript cluster, IReadOnlyList<NodeEndpoints> nodes)
    {
        var views = new List<string>();
        foreach (var node in nodes.Where(n => n.Pid is not null))
        {
            var (code, output, _, _) = await cluster.RunAsync(TimeSpan.FromSeconds(30), "cmd", node.Shell, "cluster", "show");
            if (code != 0) return (false, $"{node.Name}: no answer");
            var rows = MemberRow().Matches(output).Select(m => $"{m.Groups["address"].Value} {m.Groups["status"].Value}").Order().ToList();
            views.Add(string.Join(", ", rows));
        }
        var expected = nodes.Count(n => n.Pid is not null);
        var one = views.Distinct().Count() == 1 && views[0].Split(", ").Length == expected && views[0].Split(", ").All(r => r.EndsWith(" Up"));
        return (one, views.FirstOrDefault() ?? "");
    }

    [GeneratedRegex(@"^\|\s*(?<address>akka\.tcp://\S+)\s*\|\s*(?<status>\w+)\s*\|", RegexOptions.Multiline)]
    private static partial Regex MemberRow();

    [GeneratedRegex(@"^\|[^|]*\|\s*(?<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*\|[^|]*\|\s*(?<owner>[a-z ]+?)\s*\|", RegexOptions.Multiline)]
    private static partial Regex GuestRow();
}
