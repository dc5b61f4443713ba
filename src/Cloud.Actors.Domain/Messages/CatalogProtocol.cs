using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Messages;

public sealed record GetCatalog
{
    public static readonly GetCatalog Instance = new();
}

/// <summary>The whole catalog at one moment: small enough to hand out whole.</summary>
public sealed record CatalogView(
    Flavor[] Flavors,
    Image[] Images,
    KeyPair[] KeyPairs,
    Network[] Networks);

public sealed record AddKeyPair(KeyPair KeyPair);

public sealed record DeleteKeyPair(string Name, string UserId);

public sealed record RegisterImage(Image Image);

public sealed record CreateNetwork(Network Network);

public sealed record CatalogChanged(CatalogView Catalog);

/// <summary>The catalog refused a change; the code is HTTP-like (404 unknown, 409 duplicate).</summary>
public sealed record CatalogRejected(string Message, int Code);
