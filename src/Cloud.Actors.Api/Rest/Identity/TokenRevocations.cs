using System.Globalization;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>
/// Keystone's revocation events, reduced to what DELETE /v3/auth/tokens needs: the audit ids of revoked tokens
/// until those tokens would have expired anyway. Kept in <c>revoked</c> beside the token key (one
/// "&lt;audit id&gt; &lt;expiry, unix seconds&gt;" line per token), so a revoked token stays revoked after a restart.
/// </summary>
public sealed class TokenRevocations
{
    private const string FileName = "revoked";

    private readonly Dictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly string? _path;

    /// <param name="directory">The token key's directory; null keeps the list in memory only.</param>
    public TokenRevocations(string? directory, DateTimeOffset now)
    {
        if (directory is null) return;
        _path = Path.Combine(directory, FileName);
        if (!File.Exists(_path)) return;
        foreach (var line in File.ReadAllLines(_path))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && DateTimeOffset.FromUnixTimeSeconds(seconds) is var expires && expires > now)
                _revoked[parts[0]] = expires;
        }
        // Expired entries go: the file only ever holds what can still matter.
        Rewrite();
    }

    public bool IsRevoked(string auditId)
    {
        lock (_lock) return _revoked.ContainsKey(auditId);
    }

    public void Revoke(string auditId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var (id, expires) in _revoked.Where(r => r.Value <= now).ToList()) _revoked.Remove(id);
            if (!_revoked.TryAdd(auditId, expiresAt)) return;
            if (_path is not null)
                File.AppendAllText(_path, $"{auditId} {expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}\n");
        }
    }

    private void Rewrite()
    {
        var partial = _path + ".part";
        File.WriteAllLines(partial, _revoked.Select(r => $"{r.Key} {r.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}"));
        File.Move(partial, _path!, overwrite: true);
    }
}
