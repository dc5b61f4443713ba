using System.Security.Cryptography;
using Cloud.Actors.Compute.Images;
using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Compute.Tests.Images;

/// <summary>A scratch instances/ directory per spec, removed afterwards, and helpers to make image bytes.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cloud-actors-imagecache-").FullName;

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class ImageBytes
{
    public static byte[] Random(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    public static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    public static Image Record(string id, byte[] bytes, string diskFormat = "raw", IReadOnlyDictionary<string, string>? properties = null) =>
        new(id, id, "active", diskFormat, "bare", bytes.Length, 0, 0, properties ?? new Dictionary<string, string>(),
            DateTimeOffset.UnixEpoch, Md5(bytes));

    /// <summary>qemu-img from PATH; a missing one fails the spec (never skips it), so CI cannot pass without it.</summary>
    public static string QemuImg()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, "qemu-img"))
            .FirstOrDefault(File.Exists);
        if (found is null) Assert.Fail("qemu-img is not installed (Debian package qemu-utils); run ./cluster.sh setup");
        return found;
    }
}

/// <summary>
/// Images served from memory. Counts every open, and can hold opens until <see cref="Release"/> so specs can line
/// fetches up behind one another.
/// </summary>
internal sealed class MemoryImageSource : IImageSource
{
    private readonly Dictionary<string, (Image Image, byte[] Bytes)> _images = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _opens;

    public MemoryImageSource(bool held = false)
    {
        if (!held) _gate.SetResult();
    }

    public int Opens => Volatile.Read(ref _opens);

    public MemoryImageSource Add(Image image, byte[] bytes)
    {
        _images[image.Id] = (image, bytes);
        return this;
    }

    public void Release() => _gate.TrySetResult();

    public async Task<ImageDownload> OpenAsync(string imageId, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _opens);
        await _gate.Task.WaitAsync(ct);
        if (!_images.TryGetValue(imageId, out var image))
            throw new ImageUnavailableException(imageId, $"Image {imageId} could not be found.", 404);
        return new ImageDownload(image.Image, new MemoryStream(image.Bytes, writable: false));
    }
}

/// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class RecordedProgress : IProgress<ImageFetchProgress>
{
    private readonly List<ImageFetchProgress> _reports = [];

    public IReadOnlyList<ImageFetchProgress> Reports
    {
        get { lock (_reports) return [.. _reports]; }
    }

    public void Report(ImageFetchProgress value)
    {
        lock (_reports) _reports.Add(value);
    }
}
