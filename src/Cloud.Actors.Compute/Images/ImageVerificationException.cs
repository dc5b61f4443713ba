namespace Cloud.Actors.Compute.Images;

/// <summary>
/// Downloaded bytes are not the image the record describes (Nova: ImageUnacceptable / "checksum mismatch"):
/// wrong size or md5. Nothing of the download is kept.
/// </summary>
public sealed class ImageVerificationException(string imageId, string? expectedChecksum, string actualChecksum, long expectedSize, long actualSize)
    : Exception($"Image {imageId} failed verification: expected md5 {expectedChecksum ?? "(none)"} and {expectedSize} bytes, " +
                $"downloaded md5 {actualChecksum} and {actualSize} bytes; the download was discarded")
{
    public string ImageId { get; } = imageId;

    public string? ExpectedChecksum { get; } = expectedChecksum;

    public string ActualChecksum { get; } = actualChecksum;
}
