using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Compute.Images;

/// <summary>Where a host's image cache gets image bytes from (Nova: the Glance client's download).</summary>
public interface IImageSource
{
    /// <summary>
    /// Opens <paramref name="imageId"/>'s bytes. Throws <see cref="ImageUnavailableException"/> when the source
    /// cannot hand the image out (unknown, not active, no data, nobody to ask).
    /// </summary>
    Task<ImageDownload> OpenAsync(string imageId, CancellationToken ct = default);
}

/// <summary>An image's record (size and md5 of the bytes to come) and its bytes, read once to the end.</summary>
public sealed record ImageDownload(Image Image, Stream Content) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
