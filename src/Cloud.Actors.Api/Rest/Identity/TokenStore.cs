using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>
/// Keystone's job on the controller: checks credentials against <see cref="IdentityOptions"/> and keeps the tokens it
/// issued in memory until they expire. A controller restart forgets them; the clients then authenticate again, as they
/// do on any 401.
/// </summary>
public sealed class TokenStore(IdentityOptions options, TimeProvider? clock = null)
{
    private readonly ConcurrentDictionary<string, Token> _tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public IdentityOptions Options => options;

    // Iterations as the shipped hashes; the password behind it does not matter.
    private static readonly string UnknownUserHash = PasswordHash.Create(Guid.NewGuid().ToString(), 600_000);

    /// <summary>The password method: null when the user or the password is wrong (the caller answers 401 without saying which).</summary>
    public IdentityUser? CheckPassword(string? userId, string? userName, string password)
    {
        var user = options.Users.FirstOrDefault(u => userId is not null ? u.Id == userId : u.Name == userName);
        // An unknown user costs as much as a wrong password, so the answer's timing does not tell which users exist.
        var verified = PasswordHash.Verify(password, user?.PasswordHash ?? UnknownUserHash);
        return user is not null && verified ? user : null;
    }

    /// <summary>A token scoped to <paramref name="project"/>; null when the user holds no role there (keystone's 401).</summary>
    public Token? Issue(IdentityUser user, IdentityProject project, IReadOnlyList<string> methods, DateTimeOffset? expiresAt = null)
    {
        if (!user.ProjectRoles.TryGetValue(project.Name, out var roleNames) || roleNames.Count == 0) return null;
        var roles = options.Roles.Where(r => roleNames.Contains(r.Name)).ToList();
        var now = _clock.GetUtcNow();
        var expires = now + options.TokenExpiration;
        // A token made from a token never outlives it (keystone's rule for the token method).
        if (expiresAt is { } limit && limit < expires) expires = limit;
        var token = new Token(NewId(), user, project, roles, methods, now, expires, AuditId());
        _tokens[token.Id] = token;
        Sweep(now);
        return token;
    }

    /// <summary>The live token with this id, or null (unknown, revoked or expired).</summary>
    public Token? Validate(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_tokens.TryGetValue(id, out var token)) return null;
        if (token.ExpiresAt > _clock.GetUtcNow()) return token;
        _tokens.TryRemove(id, out _);
        return null;
    }

    public bool Revoke(string id) => _tokens.TryRemove(id, out _);

    public IdentityProject? FindProject(string? id, string? name) =>
        options.Projects.FirstOrDefault(p => id is not null ? p.Id == id : p.Name == name);

    private void Sweep(DateTimeOffset now)
    {
        // Cheap enough at our token counts; keeps a long-running controller from growing without bound.
        if (_tokens.Count < 1024) return;
        foreach (var (id, token) in _tokens)
            if (token.ExpiresAt <= now) _tokens.TryRemove(id, out _);
    }

    // Long and random enough to be unguessable; url-safe so it travels in headers unchanged.
    private static string NewId() => "gAAAAA" + Base64Url(RandomNumberGenerator.GetBytes(48));

    private static string AuditId() => Base64Url(RandomNumberGenerator.GetBytes(16))[..22];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
