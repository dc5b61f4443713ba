using Akka.Configuration;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>Keystone's assignment data, kept in HOCON: one domain, its projects, roles and users.</summary>
public sealed record IdentityOptions(
    string Region,
    TimeSpan TokenExpiration,
    string DomainId,
    string DomainName,
    IReadOnlyList<IdentityProject> Projects,
    IReadOnlyList<IdentityRole> Roles,
    IReadOnlyList<IdentityUser> Users)
{
    /// <summary>The role that makes a token an admin one (Nova's and keystone's default policies).</summary>
    public const string AdminRole = "admin";

    public static IdentityOptions FromConfig(Config identity)
    {
        var projects = Names(identity, "projects")
            .Select(name => new IdentityProject(identity.GetString($"projects.{name}.id"), name)).ToList();
        var roles = Names(identity, "roles")
            .Select(name => new IdentityRole(identity.GetString($"roles.{name}.id"), name)).ToList();
        var users = Names(identity, "users").Select(name =>
        {
            var user = identity.GetConfig($"users.{name}");
            var assignments = Names(user, "roles").ToDictionary(
                project => project,
                project => (IReadOnlyList<string>)user.GetStringList($"roles.{project}").ToList());
            return new IdentityUser(user.GetString("id"), name, user.GetString("password-hash"),
                user.GetString("default-project", null), assignments);
        }).ToList();
        return new IdentityOptions(identity.GetString("region", "RegionOne"), identity.GetTimeSpan("token-expiration", TimeSpan.FromHours(1)),
            identity.GetString("domain.id", "default"), identity.GetString("domain.name", "Default"), projects, roles, users);
    }

    private static IEnumerable<string> Names(Config config, string path) =>
        config.HasPath(path) ? config.GetConfig(path).Root.GetObject().Items.Keys : [];
}

public sealed record IdentityProject(string Id, string Name);

public sealed record IdentityRole(string Id, string Name);

/// <summary>A user, its password hash (<see cref="PasswordHash"/>) and its role names in each project (by project name).</summary>
public sealed record IdentityUser(
    string Id,
    string Name,
    string PasswordHash,
    string? DefaultProject,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ProjectRoles);
