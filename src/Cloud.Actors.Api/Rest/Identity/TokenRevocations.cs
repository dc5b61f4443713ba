using System.Globalization;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>
/// Keystone's revocation events, reduced to what DELETE /v3/auth/tokens needs: the audit ids of revoked tokens
/// until those tokens would have expired anyway. Kept in <c>revoked</c> beside the token key (one
/// "&lt;audit id&gt; &lt;expiry, unix seconds&gt;" line per token), so a revoked token stays revoked after a restart,
/// and read again whenever the file changes, so controllers sharing the key directory see each other's
/// revocations. Lines of expired tokens are dropped when they outnumber the live ones.
/// </summary>
public sealed class TokenRevocations
{
    private const string FileName = "revoked";

    private readonly Dictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly string? _path;
    private DateTime _readAt = DateTime.MinValue;
    private int _lines;

    /// <param name="directory">The token key's directory; null keeps the list in memory only.</param>
    public TokenRevocations(string? directory, TimeProvider clock)
    {
        _clock = clock;
        if (directory is null) return;
        _path = Path.Combine(directory, FileName);
        lock (_lock) Compact();
    }

    public bool IsRevoked(string auditId)
    {
        lock (_lock)
        {
            ReadIfChanged();
            return _revoked.ContainsKey(auditId);
        }
    }

    public void Revoke(string auditId, DateTimeOffset expiresAt)
    {
        lock (_lock)
        {
            ReadIfChanged();
            if (!_revoked.TryAdd(auditId, expiresAt) || _path is null) return;
            File.AppendAllText(_path, Line(auditId, expiresAt) + "\n");
            _lines++;
            _readAt = File.GetLastWriteTimeUtc(_path);
            if (_lines > 2 * _revoked.Count + 64) Compact();
        }
    }

    /// <summary>One stat per check (a missing file reads as 1601, never as a change); the file is read again only when another writer changed it.</summary>
    private void ReadIfChanged()
    {
        if (_path is null) return;
        var written = File.GetLastWriteTimeUtc(_path);
        if (written == _readAt || !File.Exists(_path)) return;
        _readAt = written;
        var now = _clock.GetUtcNow();
        _revoked.Clear();
        _lines = 0;
        foreach (var line in File.ReadAllLines(_path))
        {
            _lines++;
            var parts = line.Split(' ');
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && DateTimeOffset.FromUnixTimeSeconds(seconds) is var expires && expires > now)
                _revoked[parts[0]] = expires;
        }
    }

    /// <summary>Rewrites the file with the live entries only.</summary>
    private void Compact()
    {
        ReadIfChanged();
        var now = _clock.GetUtcNow();
        foreach (var (id, _) in _revoked.Where(r => r.Value <= now).ToList()) _revoked.Remove(id);
        var partial = $"{_path}.{Guid.NewGuid():N}.part";
        File.WriteAllLines(partial, _revoked.Select(r => Line(r.Key, r.Value)));
        File.Move(partial, _path!, overwrite: true);
        _lines = _revoked.Count;
        _readAt = File.GetLastWriteTimeUtc(_path!);
    }

    private static string Line(string auditId, DateTimeOffset expires) =>
        $"{auditId} {expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
}
