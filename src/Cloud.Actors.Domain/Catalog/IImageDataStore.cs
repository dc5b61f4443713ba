namespace Cloud.Actors.Domain.Catalog;

/// <summary>
/// Where an image's bytes live (Glance's store), seen from the API: the controller's file store implements it, so
/// the application layer streams uploads and downloads without depending on the controller.
/// </summary>
public interface IImageDataStore
{
    /// <summary>Stores <paramref name="content"/>, read to its end in chunks, as the image's bytes; answers their size and md5.</summary>
    Task<ImageData> ImportAsync(string imageId, Stream content, CancellationToken ct = default);

    /// <summary>The size and md5 of the stored bytes, or null when there are none.</summary>
    ImageData? Find(string imageId);

    /// <summary>Reads the stored bytes; throws <see cref="FileNotFoundException"/> when there are none.</summary>
    Stream OpenRead(string imageId);

    /// <summary>Removes the image's bytes; false when there were none.</summary>
    bool Delete(string imageId);
}

/// <summary>An image's stored bytes: their size and md5 (Glance's checksum, lower-case hex).</summary>
public sealed record ImageData(long SizeBytes, string Checksum);
