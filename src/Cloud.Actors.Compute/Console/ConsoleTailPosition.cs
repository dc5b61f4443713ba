namespace Cloud.Actors.Compute.Console;

/// <summary>
/// How far a <see cref="ConsoleTailer"/> has read, snapshotted as console-&lt;uuid&gt; so a restarted host
/// resumes there instead of re-reading console.log or skipping what the guest wrote while it was down.
/// </summary>
/// <param name="Offset">Bytes of the file read so far, always at a character boundary.</param>
/// <param name="FileId">The file's identity (its inode) when it was read, so a rotated console.log is told from the new one; null when unknown.</param>
/// <param name="LoginPromptSeen">The first login prompt has been reported; later ones are not.</param>
public sealed record ConsoleTailPosition(long Offset, string? FileId, bool LoginPromptSeen)
{
    public static readonly ConsoleTailPosition Start = new(0, null, false);
}
