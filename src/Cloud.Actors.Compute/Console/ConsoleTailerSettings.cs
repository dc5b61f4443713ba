namespace Cloud.Actors.Compute.Console;

/// <summary>How a <see cref="ConsoleTailer"/> follows console.log.</summary>
public sealed record ConsoleTailerSettings
{
    /// <summary>How often the file is checked for new bytes: a login prompt or a followed line shows this late at most.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The read position is saved at most this often (and when the tailer stops), so at most this much is read again after a crash.</summary>
    public TimeSpan SaveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How much of the console is kept in memory: Nova's MAX_CONSOLE_BYTES (nova/virt/libvirt/driver.py).</summary>
    public int KeepBytes { get; init; } = 100 * 1024;
}
