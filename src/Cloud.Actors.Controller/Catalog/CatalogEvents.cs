using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Controller.Catalog;

public interface ICatalogEvent;

/// <summary>The first start of a controller: Nova's classic flavors, the cirros image and the privada network.</summary>
public sealed record CatalogSeeded(Flavor[] Flavors, Image[] Images, Domain.Catalog.Network[] Networks) : ICatalogEvent;

public sealed record KeyPairAdded(KeyPair KeyPair) : ICatalogEvent;

public sealed record KeyPairDeleted(string Name, string UserId) : ICatalogEvent;

public sealed record ImageRegistered(Image Image) : ICatalogEvent;

public sealed record ImageDeleted(string ImageId) : ICatalogEvent;

public sealed record NetworkCreated(Domain.Catalog.Network Network) : ICatalogEvent;
