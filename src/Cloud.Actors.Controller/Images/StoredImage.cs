namespace Cloud.Actors.Controller.Images;

/// <summary>An image's bytes in the store: the file, its size and md5 (Glance's checksum, lower-case hex).</summary>
public sealed record StoredImage(string ImageId, string Path, long SizeBytes, string Checksum);
