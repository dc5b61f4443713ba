namespace Cloud.Actors.Compute.Images;

/// <summary>The image source cannot hand out an image; Code is HTTP-like as the image service gave it (404, 409, 503 ...).</summary>
public sealed class ImageUnavailableException(string imageId, string message, int code, Exception? inner = null) : Exception(message, inner)
{
    public string ImageId { get; } = imageId;

    public int Code { get; } = code;
}
