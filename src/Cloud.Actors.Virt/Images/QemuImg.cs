using System.Globalization;

namespace Cloud.Actors.Virt.Images;

/// <summary>
/// The qemu-img operations a compute host needs: the qcow2 overlay of an instance's root disk on its
/// _base image, reading an image's format and size, and converting images into the cache.
/// </summary>
public sealed class QemuImg(string executable = "qemu-img", TimeSpan? commandTimeout = null, TimeSpan? convertTimeout = null)
{
    private readonly TimeSpan _commandTimeout = commandTimeout ?? TimeSpan.FromMinutes(1);

    // Converting a multi-GiB image takes minutes; metadata operations take milliseconds.
    private readonly TimeSpan _convertTimeout = convertTimeout ?? TimeSpan.FromMinutes(30);

    /// <summary>
    /// Creates the qcow2 overlay <paramref name="path"/> on <paramref name="backingFile"/>, sized
    /// <paramref name="sizeGb"/> GiB (0: the backing file's size, as Nova does for a flavor with root_gb 0).
    /// Refuses to overwrite an existing file: qemu-img would silently replace a live instance's disk.
    /// </summary>
    public async Task CreateOverlayAsync(string path, string backingFile, string backingFormat, int sizeGb, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeGb);
        ArgumentException.ThrowIfNullOrWhiteSpace(backingFormat);
        var overlay = Path.GetFullPath(path);
        if (File.Exists(overlay)) throw new IOException($"{overlay} already exists; an overlay is never created over an existing disk");

        // Both paths absolute: qemu-img reads a relative backing path relative to the overlay's directory, not ours.
        // -b/-F rather than -o backing_file=...: in -o syntax a comma in the path would have to be doubled.
        var arguments = new List<string> { "create", "-q", "-f", "qcow2", "-b", Path.GetFullPath(backingFile), "-F", backingFormat, overlay };
        if (sizeGb > 0) arguments.Add(sizeGb.ToString(CultureInfo.InvariantCulture) + "G");
        await ExternalCommand.RunAsync(executable, arguments, _commandTimeout, ct);
    }

    /// <summary>Creates an empty image of <paramref name="sizeBytes"/> bytes in <paramref name="format"/> (raw, qcow2 ...).</summary>
    public async Task CreateAsync(string path, string format, long sizeBytes, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        await ExternalCommand.RunAsync(executable,
            ["create", "-q", "-f", format, Path.GetFullPath(path), sizeBytes.ToString(CultureInfo.InvariantCulture)], _commandTimeout, ct);
    }

    /// <summary>The image's format, sizes and backing file.</summary>
    public async Task<QemuImageInfo> InfoAsync(string path, CancellationToken ct = default)
    {
        // -U (force share): a running guest's QEMU holds a write lock on its disk, and info must still work then.
        var result = await ExternalCommand.RunAsync(executable, ["info", "-U", "--output=json", Path.GetFullPath(path)], _commandTimeout, ct);
        return QemuImageInfo.Parse(result.StandardOutput);
    }

    /// <summary>
    /// Converts <paramref name="source"/> into a new <paramref name="outputFormat"/> image at <paramref name="destination"/>.
    /// Pass the source's format when known: probing an untrusted image lets a raw file pose as qcow2 with a host file as backing.
    /// </summary>
    public async Task ConvertAsync(string source, string destination, string outputFormat, string? sourceFormat = null, CancellationToken ct = default)
    {
        var arguments = new List<string> { "convert" };
        if (sourceFormat is not null) arguments.AddRange(["-f", sourceFormat]);
        arguments.AddRange(["-O", outputFormat, Path.GetFullPath(source), Path.GetFullPath(destination)]);
        await ExternalCommand.RunAsync(executable, arguments, _convertTimeout, ct);
    }
}
