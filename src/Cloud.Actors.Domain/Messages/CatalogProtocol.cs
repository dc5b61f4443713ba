using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Messages;

public sealed record GetCatalog : IClusterMessage
{
    public static readonly GetCatalog Instance = new();
}

/// <summary>The whole catalog at one moment: small enough to hand out whole.</summary>
public sealed record CatalogView(
    Flavor[] Flavors,
    Image[] Images,
    KeyPair[] KeyPairs,
    Network[] Networks) : IClusterMessage;

public sealed record AddKeyPair(KeyPair KeyPair) : IClusterMessage;

public sealed record DeleteKeyPair(string Name, string UserId) : IClusterMessage;

/// <summary>Adds or replaces an image record as it is (the seeder's upsert).</summary>
public sealed record RegisterImage(Image Image) : IClusterMessage;

/// <summary>Glance's image create: refused with 409 when the id is taken.</summary>
public sealed record CreateImage(Image Image) : IClusterMessage;

/// <summary>
/// Replaces an image record only while it is still exactly <paramref name="Expected"/>, the record the change was
/// made from (404 when unknown, 409 otherwise): two uploads racing for one queued image cannot both move it to
/// saving, and an upload and an update (PATCH) cannot undo each other.
/// </summary>
public sealed record UpdateImage(Image Image, Image Expected) : IClusterMessage;

/// <summary>Removes an image record (404 when unknown); its bytes are the image store's business.</summary>
public sealed record DeleteImage(string ImageId) : IClusterMessage;

public sealed record CreateNetwork(Network Network) : IClusterMessage;

public sealed record CatalogChanged(CatalogView Catalog) : IClusterMessage;

/// <summary>The catalog refused a change; the code is HTTP-like (404 unknown, 409 duplicate).</summary>
public sealed record CatalogRejected(string Message, int Code) : IClusterMessage;
