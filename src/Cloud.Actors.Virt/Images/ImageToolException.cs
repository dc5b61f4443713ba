namespace Cloud.Actors.Virt.Images;

/// <summary>
/// An external image tool (qemu-img, genisoimage) was missing, failed, or ran out of time. The message
/// names the tool and carries its stderr, which is where qemu-img says what was wrong.
/// </summary>
public sealed class ImageToolException(string message, string tool, int? exitCode = null, string standardError = "", Exception? inner = null)
    : Exception(message, inner)
{
    public string Tool { get; } = tool;

    /// <summary>Null when the tool never ran to completion (missing, timed out).</summary>
    public int? ExitCode { get; } = exitCode;

    public string StandardError { get; } = standardError;
}
