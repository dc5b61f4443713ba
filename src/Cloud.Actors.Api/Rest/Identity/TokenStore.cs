using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>
/// Keystone's job on the controller: checks credentials against <see cref="IdentityOptions"/>, issues tokens and
/// validates them. A token carries who, which project, how and until when, sealed with the controller's key
/// (<see cref="TokenKeyRepository"/>, keystone's fernet tokens): nothing is stored per token, so tokens survive a
/// controller restart and any controller sharing the key accepts them. Roles are read from the options at each
/// validation, so taking a role away ends the tokens that relied on it. Revoked tokens are remembered
/// (<see cref="TokenRevocations"/>) until they would have expired.
/// </summary>
public sealed class TokenStore
{
    private readonly IdentityOptions _options;
    private readonly TokenKeyRepository _keys;
    private readonly TokenRevocations _revocations;
    private readonly TimeProvider _clock;

    /// <param name="keys">The token key; an in-memory one (tokens end with the process) when not given.</param>
    public TokenStore(IdentityOptions options, TimeProvider? clock = null, TokenKeyRepository? keys = null)
    {
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _keys = keys ?? TokenKeyRepository.InMemory();
        _revocations = new TokenRevocations(_keys.Directory, _clock);
    }

    public IdentityOptions Options => _options;

    // Iterations as the shipped hashes; the password behind it does not matter.
    private static readonly string UnknownUserHash = PasswordHash.Create(Guid.NewGuid().ToString(), 600_000);

    /// <summary>The password method: null when the user or the password is wrong (the caller answers 401 without saying which).</summary>
    public IdentityUser? CheckPassword(string? userId, string? userName, string password)
    {
        var user = _options.Users.FirstOrDefault(u => userId is not null ? u.Id == userId : u.Name == userName);
        // An unknown user costs as much as a wrong password, so the answer's timing does not tell which users exist.
        var verified = PasswordHash.Verify(password, user?.PasswordHash ?? UnknownUserHash);
        return user is not null && verified ? user : null;
    }

    /// <summary>A token scoped to <paramref name="project"/>; null when the user holds no role there (keystone's 401).</summary>
    public Token? Issue(IdentityUser user, IdentityProject project, IReadOnlyList<string> methods, DateTimeOffset? expiresAt = null)
    {
        var roles = Roles(user, project);
        if (roles.Count == 0) return null;
        // Whole milliseconds: what the sealed payload keeps, so a validated token says exactly what the issued one did.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        var expires = now + _options.TokenExpiration;
        // A token made from a token never outlives it (keystone's rule for the token method).
        if (expiresAt is { } limit && limit < expires) expires = limit;
        var payload = new TokenPayload(user.Id, project.Id, methods.ToArray(), now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds(),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))[..22]);
        var id = _keys.Seal(JsonSerializer.SerializeToUtf8Bytes(payload, TokenPayloadJson.Default.TokenPayload), now);
        return new Token(id, user, project, roles, methods, now, expires, payload.AuditId);
    }

    /// <summary>
    /// The live token with this id, or null: not sealed by this key, altered, expired, revoked, or its user no
    /// longer has a role in its project.
    /// </summary>
    public Token? Validate(string? id)
    {
        if (string.IsNullOrEmpty(id) || _keys.Unseal(id) is not { } sealedPayload) return null;
        TokenPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(sealedPayload, TokenPayloadJson.Default.TokenPayload);
        }
        catch (JsonException)
        {
            return null;
        }
        if (payload is null) return null;
        var expires = DateTimeOffset.FromUnixTimeMilliseconds(payload.ExpiresAt);
        if (expires <= _clock.GetUtcNow() || _revocations.IsRevoked(payload.AuditId)) return null;
        var user = _options.Users.FirstOrDefault(u => u.Id == payload.UserId);
        var project = _options.Projects.FirstOrDefault(p => p.Id == payload.ProjectId);
        if (user is null || project is null) return null;
        var roles = Roles(user, project);
        if (roles.Count == 0) return null;
        return new Token(id, user, project, roles, payload.Methods, DateTimeOffset.FromUnixTimeMilliseconds(payload.IssuedAt), expires,
            payload.AuditId);
    }

    /// <summary>Keystone's DELETE /v3/auth/tokens: the token is refused from now on, here and after a restart. False when it was not live.</summary>
    public bool Revoke(string id)
    {
        if (Validate(id) is not { } token) return false;
        _revocations.Revoke(token.AuditId, token.ExpiresAt);
        return true;
    }

    public IdentityProject? FindProject(string? id, string? name) =>
        _options.Projects.FirstOrDefault(p => id is not null ? p.Id == id : p.Name == name);

    private List<IdentityRole> Roles(IdentityUser user, IdentityProject project) =>
        user.ProjectRoles.TryGetValue(project.Name, out var names)
            ? _options.Roles.Where(r => names.Contains(r.Name)).ToList()
            : [];
}

/// <summary>What a token seals: ids, methods, times in unix milliseconds, and its audit id.</summary>
internal sealed record TokenPayload(
    [property: JsonPropertyName("u")] string UserId,
    [property: JsonPropertyName("p")] string ProjectId,
    [property: JsonPropertyName("m")] string[] Methods,
    [property: JsonPropertyName("i")] long IssuedAt,
    [property: JsonPropertyName("e")] long ExpiresAt,
    [property: JsonPropertyName("a")] string AuditId);

[JsonSerializable(typeof(TokenPayload))]
internal sealed partial class TokenPayloadJson : JsonSerializerContext;
