namespace Cloud.Actors.Compute.Console;

/// <summary>The console showed its first login prompt; the instance records when (once).</summary>
internal sealed record LoginPromptAppeared(DateTimeOffset At);

/// <summary>The instance is gone from this host: end the followers, drop the saved position, stop.</summary>
internal sealed record ForgetConsole
{
    public static readonly ForgetConsole Instance = new();
}

/// <summary>Asks a tailer for its <see cref="ConsoleTailPosition"/> (what it would save now).</summary>
internal sealed record GetConsoleTailPosition
{
    public static readonly GetConsoleTailPosition Instance = new();
}

/// <summary>Asks a tailer how many followers it streams to (answered with an int).</summary>
internal sealed record GetConsoleFollowers
{
    public static readonly GetConsoleFollowers Instance = new();
}

internal sealed record PollConsoleLog
{
    public static readonly PollConsoleLog Instance = new();
}

internal sealed record SaveConsoleTailPosition
{
    public static readonly SaveConsoleTailPosition Instance = new();
}
