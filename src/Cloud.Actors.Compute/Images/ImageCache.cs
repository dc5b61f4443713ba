using System.Security.Cryptography;
using System.Text;
using Akka.Event;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Compute.Images;

/// <summary>
/// Nova's libvirt image cache (imagebackend Image.cache + images.fetch_to_raw with force_raw_images): an image
/// is downloaded once per host into instances/_base/&lt;sha1(image id)&gt;, verified against its size and md5,
/// turned into a raw file, and shared read-only by every instance disk built on it.
/// A fetch runs under the lock file instances/locks/nova-&lt;sha1&gt;, so processes sharing instances/ fetch an image
/// once between them; within this process concurrent fetches of one image share one download.
/// </summary>
public sealed class ImageCache : IImageCache
{
    public const string BaseDirectoryName = "_base";
    public const string LocksDirectoryName = "locks";

    private readonly IImageSource _source;
    private readonly QemuImg _qemuImg;
    private readonly ILoggingAdapter? _log;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, InFlightFetch> _inFlight = new(StringComparer.Ordinal);

    public ImageCache(string instancesPath, IImageSource source, QemuImg? qemuImg = null, ILoggingAdapter? log = null, TimeProvider? clock = null)
    {
        InstancesPath = Path.GetFullPath(instancesPath);
        _source = source;
        _qemuImg = qemuImg ?? new QemuImg();
        _log = log;
        _clock = clock ?? TimeProvider.System;
    }

    public string InstancesPath { get; }

    public string BasePath => Path.Combine(InstancesPath, BaseDirectoryName);

    public string LocksPath => Path.Combine(InstancesPath, LocksDirectoryName);

    /// <summary>The base file's name: the sha1 of the image id in lower-case hex, as Nova names it.</summary>
    public static string BaseName(string imageId) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(imageId)));

    public string BaseFile(string imageId) => Path.Combine(BasePath, BaseName(imageId));

    /// <summary>instances/locks/nova-&lt;sha1&gt;: Nova's external lock for one base file.</summary>
    public string LockFile(string imageId) => Path.Combine(LocksPath, "nova-" + BaseName(imageId));

    public async Task<CachedImage> FetchAsync(string imageId, IProgress<ImageFetchProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imageId);
        InFlightFetch fetch;
        lock (_inFlight)
        {
            if (_inFlight.TryGetValue(imageId, out fetch!))
            {
                fetch.Subscribe(progress);
            }
            else
            {
                // Subscribed before the download starts, so the starter sees its first report too.
                fetch = new InFlightFetch();
                fetch.Subscribe(progress);
                _inFlight[imageId] = fetch;
                fetch.Task = RunAsync(imageId, fetch);
            }
        }

        try
        {
            // One caller giving up does not cancel the download the others wait for.
            return await fetch.Task.WaitAsync(ct);
        }
        finally
        {
            fetch.Unsubscribe(progress);
        }
    }

    private async Task<CachedImage> RunAsync(string imageId, InFlightFetch fetch)
    {
        // Off the caller's stack, so the entry is in _inFlight before anything can remove it.
        await Task.Yield();
        try
        {
            var basePath = BaseFile(imageId);
            Directory.CreateDirectory(BasePath);
            // Even a cached base is used under the lock: the cache manager removes bases under the same lock, so
            // a base is either touched here (and then too young to remove) or gone and fetched again.
            using (await FileLock.AcquireAsync(LockFile(imageId)))
            {
                // Another process may have fetched it while we waited for the lock.
                if (File.Exists(basePath)) return Use(imageId, basePath);
                await DownloadAsync(imageId, basePath, fetch);
                return Use(imageId, basePath);
            }
        }
        finally
        {
            lock (_inFlight) _inFlight.Remove(imageId);
        }
    }

    private async Task DownloadAsync(string imageId, string basePath, InFlightFetch fetch)
    {
        var partial = basePath + ".part";
        var converted = basePath + ".converted";
        try
        {
            await using var download = await _source.OpenAsync(imageId);
            var image = download.Image;
            _log?.Info("Image {0}: fetching into {1} ({2} bytes, {3})", imageId, basePath, image.SizeBytes, image.DiskFormat);
            var reporter = new FetchProgressReporter(imageId, image.SizeBytes > 0 ? image.SizeBytes : null, fetch.Report, _log, _clock);

            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long done = 0;
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                var buffer = new byte[64 * 1024];
                reporter.Advance(0);
                int read;
                while ((read = await download.Content.ReadAsync(buffer)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read));
                    done += read;
                    reporter.Advance(done);
                }
                await output.FlushAsync();
            }
            reporter.Advance(done, finished: true);

            var checksum = Convert.ToHexStringLower(md5.GetHashAndReset());
            var sizeWrong = image.SizeBytes > 0 && image.SizeBytes != done;
            var checksumWrong = image.Checksum is not null && !string.Equals(image.Checksum, checksum, StringComparison.OrdinalIgnoreCase);
            if (sizeWrong || checksumWrong)
                throw new ImageVerificationException(imageId, image.Checksum, checksum, image.SizeBytes, done);

            switch (image.DiskFormat)
            {
                case "qcow2":
                    await ConvertToRawAsync(imageId, partial, converted);
                    new BaseImageInfo(imageId, image.DiskFormat, checksum, image.Properties).Write(basePath);
                    File.Move(converted, basePath);
                    break;
                case "raw" or "aki" or "ari":
                    new BaseImageInfo(imageId, image.DiskFormat, checksum, image.Properties).Write(basePath);
                    File.Move(partial, basePath);
                    break;
                default:
                    throw new ImageUnavailableException(imageId,
                        $"Image {imageId} has disk format '{image.DiskFormat}'; this host caches raw, qcow2, aki and ari images only", 400);
            }
            _log?.Info("Image {0}: cached as {1} (md5 {2} verified)", imageId, basePath, checksum);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(converted);
        }
    }

    /// <summary>
    /// fetch_to_raw: the downloaded qcow2 becomes a raw file. Its header is read first with the format given, never
    /// probed, and an image with a backing file is refused: it would make qemu-img read a host file into the cache.
    /// </summary>
    private async Task ConvertToRawAsync(string imageId, string partial, string converted)
    {
        var info = await _qemuImg.InfoAsync(partial);
        if (info.Format != "qcow2")
            throw new ImageUnavailableException(imageId, $"Image {imageId} is declared qcow2 but qemu-img reads it as {info.Format}", 400);
        if (info.BackingFilename is not null)
            throw new ImageUnavailableException(imageId, $"Image {imageId} has a backing file ({info.BackingFilename}); refused", 400);
        File.Delete(converted);
        await _qemuImg.ConvertAsync(partial, converted, "raw", sourceFormat: "qcow2");
    }

    /// <summary>The cached image, with its mtime touched: the cache manager removes bases unused for a while, as Nova's does.</summary>
    private CachedImage Use(string imageId, string basePath)
    {
        File.SetLastWriteTimeUtc(basePath, _clock.GetUtcNow().UtcDateTime);
        var info = BaseImageInfo.Read(basePath);
        return new CachedImage(imageId, basePath, "raw", new FileInfo(basePath).Length,
            info?.Properties ?? new Dictionary<string, string>());
    }

    /// <summary>One download and the progress reporters of everyone waiting for it.</summary>
    private sealed class InFlightFetch
    {
        private readonly List<IProgress<ImageFetchProgress>> _subscribers = [];

        public Task<CachedImage> Task { get; set; } = null!;

        public void Subscribe(IProgress<ImageFetchProgress>? progress)
        {
            if (progress is null) return;
            lock (_subscribers) _subscribers.Add(progress);
        }

        public void Unsubscribe(IProgress<ImageFetchProgress>? progress)
        {
            if (progress is null) return;
            lock (_subscribers) _subscribers.Remove(progress);
        }

        public void Report(ImageFetchProgress progress)
        {
            IProgress<ImageFetchProgress>[] subscribers;
            lock (_subscribers) subscribers = [.. _subscribers];
            foreach (var subscriber in subscribers) subscriber.Report(progress);
        }
    }
}
