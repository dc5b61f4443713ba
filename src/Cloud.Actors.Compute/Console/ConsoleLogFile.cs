using System.Globalization;

namespace Cloud.Actors.Compute.Console;

/// <summary>
/// Reading console.log as virtlogd writes it: appended to by the guest, rotated to console.log.0 when it
/// reaches its max_size (2 MiB by default) while a new console.log starts. Files are opened for every read
/// and shared with the writer (and with a rename or delete under way).
/// </summary>
internal static class ConsoleLogFile
{
    private const int ReadSize = 64 * 1024;

    /// <summary>The file virtlogd renames console.log to when it rotates it.</summary>
    public static string Rotated(string path) => path + ".0";

    /// <summary>The file at <paramref name="path"/> opened for reading, or null when there is none (yet, or any more).</summary>
    public static FileStream? TryOpen(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Which file this is, whatever its name: its inode, read from /proc/self/fdinfo (Linux; .NET does not
    /// expose inodes). Null where that is not available, and the tailer then goes by sizes alone.
    /// </summary>
    public static string? Identity(FileStream file)
    {
        var fdinfo = $"/proc/self/fdinfo/{file.SafeFileHandle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture)}";
        try
        {
            foreach (var line in File.ReadLines(fdinfo))
                if (line.StartsWith("ino:", StringComparison.Ordinal))
                    return "ino:" + line[4..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or no procfs: identity unknown.
        }
        return null;
    }

    /// <summary>
    /// Reads [<paramref name="from"/>, <paramref name="to"/>) in pieces, handing each to <paramref name="consume"/>;
    /// returns how many bytes were read (fewer when the file turned out shorter).
    /// </summary>
    public static long Read(FileStream file, long from, long to, Action<ReadOnlySpan<byte>> consume)
    {
        var buffer = new byte[(int)Math.Min(ReadSize, Math.Max(1, to - from))];
        file.Seek(from, SeekOrigin.Begin);
        var total = 0L;
        while (from + total < to)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, to - from - total));
            if (read == 0) break;
            consume(buffer.AsSpan(0, read));
            total += read;
        }
        return total;
    }
}
