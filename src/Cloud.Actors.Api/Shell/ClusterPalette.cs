using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Cloud.Actors.Api.Membership;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// <c>cluster show | status | leader | tail | join | leave | down-unreachable</c>: the membership view, its
/// changes as they happen, and the manual interventions an operator needs, as Petabridge.Cmd's cluster
/// palette offers.
/// </summary>
/// <param name="system">This node's actor system: every command shows or changes its view of the cluster.</param>
/// <param name="singletonRole">The role whose oldest member runs the cluster singletons (the node's
/// <c>ClusterSingletonManager</c> role), to say where they are.</param>
public sealed class ClusterPalette(ActorSystem system, string singletonRole) : IShellPalette
{
    // Numbers the tail actors' names, unique in the process and so in every actor system in it.
    private static int _tails;

    public string Name => "cluster";

    public string Description => "Cluster membership: show, status, leader, tail (follow changes), join, leave, down-unreachable";

    public Command Build() =>
        new(Name, Description)
        {
            BuildShow(),
            BuildStatus(),
            BuildLeader(),
            BuildTail(),
            BuildJoin(),
            BuildLeave(),
            BuildDownUnreachable(),
        };

    private Command BuildShow()
    {
        var show = new Command("show", "Members with their roles and status, the leader, and who is unreachable");
        show.SetAction(async (ParseResult parsed, CancellationToken _) =>
        {
            var cluster = Cluster.Get(system);
            var state = cluster.State;
            var members = state.Members.Union(state.Unreachable).OrderBy(m => m).ToList();
            var output = parsed.InvocationConfiguration.Output;
            if (members.Count == 0)
            {
                await output.WriteLineAsync($"{cluster.SelfAddress} has not joined a cluster.");
                return 0;
            }

            var table = new TextTable("Address", "Status", "Roles", "Leader", "Reachable", "Self");
            foreach (var member in members)
                table.AddRow(
                    member.Address,
                    member.Status,
                    MemberText.Roles(member),
                    YesNo(member.Address.Equals(state.Leader)),
                    YesNo(!state.Unreachable.Contains(member)),
                    YesNo(member.Address.Equals(cluster.SelfAddress)));
            await output.WriteLineAsync(table.Render());
            return 0;
        });
        return show;
    }

    private Command BuildStatus()
    {
        var status = new Command("status",
            "This node's own view: its address, status, roles and uptime, the members by status, who is unreachable, " +
            $"and whether this node is the leader and the oldest {singletonRole} (where the cluster singletons run)");
        status.SetAction(async (ParseResult parsed, CancellationToken _) =>
        {
            var cluster = Cluster.Get(system);
            var state = cluster.State;
            var members = state.Members.Union(state.Unreachable).ToList();
            var self = members.FirstOrDefault(m => m.UniqueAddress.Equals(cluster.SelfUniqueAddress));
            var host = SingletonHost.Of(members, singletonRole);
            var unreachable = state.Unreachable.OrderBy(m => m).Select(m => MemberText.Of(m)).ToList();
            await parsed.InvocationConfiguration.Output.WriteAsync(ShellAction.PropertyTable(
            [
                ("Address", cluster.SelfAddress.ToString()),
                ("Status", self?.Status.ToString() ?? "not a member"),
                ("Roles", string.Join(",", cluster.SelfRoles.Order(StringComparer.Ordinal))),
                ("Uptime", Uptime(system)),
                ("Members", MemberText.CountByStatus(members)),
                // One per line: TextTable spreads a multi-line cell over several rows.
                ("Unreachable", unreachable.Count == 0 ? "none" : string.Join("\n", unreachable)),
                ("Leader", MemberText.Of(state.Leader)),
                ("Is leader", YesNo(cluster.SelfAddress.Equals(state.Leader))),
                ($"Oldest {singletonRole}", MemberText.Of(host?.Address)),
                ("Hosts the singletons", YesNo(host is not null && host.UniqueAddress.Equals(cluster.SelfUniqueAddress))),
            ]));
            return 0;
        });
        return status;
    }

    private Command BuildLeader()
    {
        var leader = new Command("leader",
            "The cluster leader (it moves members up and out) and the leader of each role, as this node sees them");
        leader.SetAction(async (ParseResult parsed, CancellationToken _) =>
        {
            var cluster = Cluster.Get(system);
            var state = cluster.State;
            if (state.Leader is null)
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync(
                    $"{cluster.SelfAddress} sees no leader: it has not joined a cluster yet, or no member it can reach may lead.");
                return 1;
            }
            var output = parsed.InvocationConfiguration.Output;
            await output.WriteLineAsync($"Leader: {state.Leader}");
            if (state.AllRoles.Count == 0)
                return 0;
            await output.WriteLineAsync("Role leaders:");
            var width = state.AllRoles.Max(role => role.Length);
            foreach (var role in state.AllRoles.Order(StringComparer.Ordinal))
                await output.WriteLineAsync($"  {role.PadRight(width)}  {MemberText.Of(state.RoleLeader(role))}");
            return 0;
        });
        return leader;
    }

    private Command BuildTail()
    {
        var tail = new Command("tail",
            "Follow this node's view of the cluster: a line for the current state, then one per change as it happens " +
            "(joined, up, weakly-up, leaving, exiting, unreachable, reachable, downed, removed, leader-changed, " +
            $"role-leader-changed, singleton-moved: the oldest {singletonRole} changed), each with its UTC time, until Ctrl+C");
        tail.SetAction(async (ParseResult parsed, CancellationToken ct) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            // Each line becomes its own frame at once (ShellStreamWriter), so the client sees it as it happens.
            await foreach (var line in Tail(ct))
                await output.WriteAsync(line);
            // Not interrupted: the tail actor stopped because this node's cluster (or actor system) did.
            await output.WriteAsync(ClusterTailLines.Ended(DateTimeOffset.UtcNow, Cluster.Get(system).SelfAddress));
            return 0;
        });
        return tail;
    }

    /// <summary>
    /// Starts a <see cref="ClusterTail"/> and yields its lines until <paramref name="ct"/> fires (the client pressed
    /// Ctrl+C or went away) or this node's cluster shuts down; the actor stops either way, as <c>nova console-log
    /// --follow</c>'s follower does.
    /// </summary>
    private async IAsyncEnumerable<string> Tail([EnumeratorCancellation] CancellationToken ct)
    {
        // Unbounded: membership changes come a few at a time, far slower than any shell client reads them.
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var tail = system.ActorOf(ClusterTail.Props(singletonRole, channel.Writer),
            ClusterTail.NamePrefix + Interlocked.Increment(ref _tails));
        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(ct))
                yield return line;
        }
        finally
        {
            tail.Tell(PoisonPill.Instance);
        }
    }

    private Command BuildJoin()
    {
        var address = new Argument<string>("address")
        {
            Description = "A member to join through, e.g. akka.tcp://cloud-actors@127.0.0.1:4053",
        };
        var join = new Command("join", "Join this node to the cluster that the given member belongs to") { address };
        join.SetAction(async (ParseResult parsed, CancellationToken _) =>
        {
            var text = parsed.GetRequiredValue(address);
            if (!TryParseAddress(text, out var target))
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync(
                    $"'{text}' is not an actor system address (protocol://system@host:port)");
                return 1;
            }
            Cluster.Get(system).Join(target);
            await parsed.InvocationConfiguration.Output.WriteLineAsync($"Joining {target}");
            return 0;
        });
        return join;
    }

    private Command BuildLeave()
    {
        var leave = new Command("leave", "This node leaves the cluster gracefully (and then shuts down)");
        leave.SetAction(async (ParseResult parsed, CancellationToken _) =>
        {
            var cluster = Cluster.Get(system);
            cluster.Leave(cluster.SelfAddress);
            await parsed.InvocationConfiguration.Output.WriteLineAsync($"Leaving the cluster: {cluster.SelfAddress}");
            return 0;
        });
        return leave;
    }

    private Command BuildDownUnreachable()
    {
        var down = new Command(
            "down-unreachable",
            "Mark every unreachable member down, so the rest of the cluster can move on without it");
        down.SetAction(async (ParseResult parsed, CancellationToken _) =>
        {
            var cluster = Cluster.Get(system);
            var output = parsed.InvocationConfiguration.Output;
            var unreachable = cluster.State.Unreachable.OrderBy(m => m).ToList();
            if (unreachable.Count == 0)
            {
                await output.WriteLineAsync("No unreachable members.");
                return 0;
            }
            foreach (var member in unreachable)
            {
                cluster.Down(member.Address);
                await output.WriteLineAsync($"Downed {member.Address}");
            }
            return 0;
        });
        return down;
    }

    private static bool TryParseAddress(string text, out Address address)
    {
        try
        {
            address = Address.Parse(text);
            return !string.IsNullOrEmpty(address.Host) && address.Port is > 0;
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException)
        {
            address = Address.AllSystems;
            return false;
        }
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary><c>2d 03:04:05 (since 2026-12-07T13:00:00Z)</c>: how long the actor system has run, and since when.</summary>
    private static string Uptime(ActorSystem system)
    {
        var uptime = system.Uptime;
        var since = DateTimeOffset.UnixEpoch + system.StartTime;
        var days = uptime.Days > 0 ? $"{uptime.Days}d " : "";
        return $"{days}{uptime:hh\\:mm\\:ss} (since {since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)})";
    }
}
