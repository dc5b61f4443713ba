namespace Cloud.Actors.Node;

/// <summary>
/// Start-up work the node must finish before it is ready (seeding the images on a controller), for the
/// "cloud-actors-startup" health check. Nothing pending means ready.
/// </summary>
public sealed class NodeReadiness
{
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);

    /// <summary>Work named <paramref name="what"/> must finish first; <paramref name="state"/> says where it stands.</summary>
    public void Pending(string what, string state)
    {
        lock (_pending) _pending[what] = state;
    }

    public void Done(string what)
    {
        lock (_pending) _pending.Remove(what);
    }

    /// <summary>Null when ready, else what is still pending and why.</summary>
    public string? Waiting()
    {
        lock (_pending)
            return _pending.Count == 0 ? null : string.Join("; ", _pending.Select(p => $"{p.Key}: {p.Value}"));
    }
}
