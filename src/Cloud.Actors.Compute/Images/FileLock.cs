namespace Cloud.Actors.Compute.Images;

/// <summary>
/// An exclusive lock on a lock file (Nova's external lock in instances/locks, oslo.concurrency's
/// lockutils). .NET opens a file with FileShare.None under flock(LOCK_EX), so the lock holds against every other
/// open of the file, in this process or another one sharing instances/; the kernel drops it when the holder dies.
/// The file itself stays, as Nova's lock files do.
/// </summary>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);
    private readonly FileStream _file;

    private FileLock(FileStream file) => _file = file;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        while (true)
        {
            if (TryOpen(path) is { } held) return new FileLock(held);
            await Task.Delay(Poll, ct);
        }
    }

    /// <summary>Waits at most <paramref name="timeout"/>; throws <see cref="TimeoutException"/> after it.</summary>
    public static FileLock Acquire(string path, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryOpen(path) is { } held) return new FileLock(held);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"lock {path} still held after {timeout.TotalSeconds:0.#} s");
            Thread.Sleep(Poll);
        }
    }

    /// <summary>The lock if it is free right now, else null.</summary>
    public static FileLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return TryOpen(path) is { } held ? new FileLock(held) : null;
    }

    public void Dispose() => _file.Dispose();

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
        {
            // Held by someone else (EWOULDBLOCK from flock): try again shortly.
            return null;
        }
    }
}
