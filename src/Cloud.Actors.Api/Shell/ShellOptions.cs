namespace Cloud.Actors.Api.Shell;

/// <summary>Where the management shell listens. Port 0 binds an ephemeral port (tests).</summary>
public sealed record ShellOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 9110;

    /// <summary>
    /// The longest request line accepted. A line is one command's arguments; the
    /// cap keeps a misbehaving client from making the node buffer without bound.
    /// </summary>
    public int MaxRequestBytes { get; init; } = 1024 * 1024;
}
