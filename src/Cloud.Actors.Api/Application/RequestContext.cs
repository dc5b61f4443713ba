namespace Cloud.Actors.Api.Application;

/// <summary>Who is asking: their project and user, and whether they are admin (sees every project).</summary>
public sealed record RequestContext(string ProjectId, string UserId, bool IsAdmin)
{
    /// <summary>The management shell acts as the cloud's admin, in the admin project.</summary>
    public static readonly RequestContext ShellAdmin = new(
        "0912c80bef254d7b9352632793cf75b9", "0f94f0bbcdee4715ba2750502bb0d63f", IsAdmin: true);

    /// <summary>The project filter for lists: none for admins asking for all projects.</summary>
    public string? Scope(bool allProjects) => IsAdmin && allProjects ? null : ProjectId;
}
