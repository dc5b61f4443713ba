using Cloud.Actors.Api.Application;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>An issued, project-scoped token: who, in which project, with which roles, until when.</summary>
public sealed record Token(
    string Id,
    IdentityUser User,
    IdentityProject Project,
    IReadOnlyList<IdentityRole> Roles,
    IReadOnlyList<string> Methods,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string AuditId)
{
    public bool IsAdmin => Roles.Any(r => r.Name == IdentityOptions.AdminRole);

    /// <summary>The caller as the application layer knows it: the same record the shell passes.</summary>
    public RequestContext Context => new(Project.Id, User.Id, IsAdmin);
}
