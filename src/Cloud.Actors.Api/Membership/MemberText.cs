using Akka.Cluster;

namespace Cloud.Actors.Api.Membership;

/// <summary>How the cluster palette names members and counts them, the same in every command.</summary>
public static class MemberText
{
    // The order a member goes through its life, so a count reads from new to gone.
    private static readonly MemberStatus[] Lifecycle =
    [
        MemberStatus.Joining, MemberStatus.WeaklyUp, MemberStatus.Up, MemberStatus.Leaving,
        MemberStatus.Exiting, MemberStatus.Down, MemberStatus.Removed,
    ];

    /// <summary>The member's roles, sorted and comma-separated (empty without roles).</summary>
    public static string Roles(Member member) => string.Join(",", member.Roles.Order(StringComparer.Ordinal));

    /// <summary><c>akka.tcp://cloud-actors@127.0.0.1:4054 (compute)</c>: its address and, when it has any, its roles.</summary>
    public static string Of(Member member) =>
        member.Roles.Count == 0 ? member.Address.ToString() : $"{member.Address} ({Roles(member)})";

    /// <summary>An address, or <c>none</c>.</summary>
    public static string Of(Akka.Actor.Address? address) => address?.ToString() ?? "none";

    /// <summary><c>3 (2 Up, 1 Leaving)</c>: how many members, and how many of them in each status.</summary>
    public static string CountByStatus(IReadOnlyCollection<Member> members)
    {
        var counts = members
            .GroupBy(m => m.Status)
            .OrderBy(g => Rank(g.Key))
            .Select(g => $"{g.Count()} {g.Key}");
        return members.Count == 0 ? "0" : $"{members.Count} ({string.Join(", ", counts)})";
    }

    private static int Rank(MemberStatus status) =>
        Array.IndexOf(Lifecycle, status) is var i and >= 0 ? i : Lifecycle.Length + (int)status;
}
