using Akka.Actor;
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

/// <summary>
/// Another controller's image replicator asks this controller's image service for the bytes it stores for an image,
/// whatever the image's status (an upload being replicated is not active yet). Answered with
/// <see cref="StoredImageOffer"/> or <see cref="ImageFetchRejected"/> (404: no bytes here).
/// </summary>
public sealed record FetchStoredImage(string ImageId) : IClusterMessage;

/// <summary>The stored bytes of an image, their size and md5, as a stream the asker pulls from.</summary>
public sealed record StoredImageOffer(string ImageId, long SizeBytes, string Checksum, ISourceRef<ByteString> Bytes) : IClusterMessage;

/// <summary>
/// Store a copy of image <paramref name="ImageId"/> (md5 <paramref name="Checksum"/>), pulled from the image service
/// <paramref name="From"/> of the controller that has it; sent to another controller's /user/image-replicator.
/// </summary>
public sealed record PullImage(string ImageId, string Checksum, IActorRef From) : IClusterMessage;

/// <summary>The replicator stored the copy (or already had it), or could not (<paramref name="Error"/>).</summary>
public sealed record ImagePulled(string ImageId, string? Error) : IClusterMessage;
