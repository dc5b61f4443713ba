namespace Cloud.Actors.Compute.Images;

/// <summary>
/// The host's image cache (Nova's imagecache): an image fetched once into instances/_base/&lt;sha1(image id)&gt;
/// and shared, read-only, by every instance disk built on it.
/// </summary>
public interface IImageCache
{
    /// <summary>
    /// The cached base file of <paramref name="imageId"/>, fetched (checksum verified) first when absent.
    /// Concurrent calls for one image fetch it once.
    /// </summary>
    Task<CachedImage> FetchAsync(string imageId, IProgress<ImageFetchProgress>? progress = null, CancellationToken ct = default);
}

/// <summary>A base file in _base: its absolute path and qemu format (raw or qcow2), and the image's properties.</summary>
public sealed record CachedImage(string ImageId, string Path, string Format, long SizeBytes, IReadOnlyDictionary<string, string> Properties);

/// <summary>How far a fetch has got; TotalBytes is null when the source does not say.</summary>
public sealed record ImageFetchProgress(string ImageId, long BytesDone, long? TotalBytes);
