namespace Cloud.Actors.Cmd;

/// <summary>The client's own exit codes; otherwise it exits with the command's code from the node.</summary>
internal static class ExitCodes
{
    /// <summary>The shell could not be reached or the request could not be formed (bad endpoint, unreadable key file).</summary>
    public const int ClientError = 2;

    /// <summary>Ctrl+C, as a shell reports a command killed by SIGINT.</summary>
    public const int Interrupted = 130;
}
