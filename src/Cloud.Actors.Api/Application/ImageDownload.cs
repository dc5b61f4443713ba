using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Api.Application;

/// <summary>An image and, when it has any, its stored bytes (size and md5 as stored) open for reading; the reader disposes them.</summary>
public sealed record ImageDownload(Image Image, ImageData? Data, Stream? Content);
