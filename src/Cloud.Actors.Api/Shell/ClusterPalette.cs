using System.CommandLine;
using Akka.Actor;
using Akka.Cluster;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// <c>cluster show | join | leave | down-unreachable</c>: the membership view and the
/// manual interventions an operator needs, as Petabridge.Cmd's cluster palette offers.
/// </summary>
public sealed class ClusterPalette(ActorSystem system) : IShellPalette
{
    public string Name => "cluster";

    public string Description => "Cluster membership: show, join, leave, down-unreachable";

    public Command Build() =>
        new(Name, Description)
        {
            BuildShow(),
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
                    string.Join(",", member.Roles.Order(StringComparer.Ordinal)),
                    YesNo(member.Address.Equals(state.Leader)),
                    YesNo(!state.Unreachable.Contains(member)),
                    YesNo(member.Address.Equals(cluster.SelfAddress)));
            await output.WriteLineAsync(table.Render());
            return 0;
        });
        return show;
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
}
