using Akka.IO;
using Akka.Streams;
using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Messages;

/// <summary>A compute host asks the controller's image service (/user/images) for an image's bytes.</summary>
public sealed record FetchImage(string ImageId) : IClusterMessage;

/// <summary>
/// The image's record (SizeBytes and Checksum are those of the stored bytes) and its bytes as a stream the
/// asker pulls from, in chunks small enough for one remoting frame. The ref is good for one materialization,
/// within the stream-ref subscription timeout.
/// </summary>
public sealed record ImageOffer(Image Image, ISourceRef<ByteString> Bytes) : IClusterMessage;

/// <summary>The image service cannot hand the image out; the code is HTTP-like (400 bad id, 404 unknown or no data, 409 not active).</summary>
public sealed record ImageFetchRejected(string ImageId, string Message, int Code) : IClusterMessage;
