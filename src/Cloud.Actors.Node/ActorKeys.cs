namespace Cloud.Actors.Node;

/// <summary>Keys of the ActorRegistry: the singleton proxies and local actors other parts of the node ask.</summary>
public sealed class SchedulerKey;

public sealed class DirectoryKey;

public sealed class CatalogKey;

public sealed class ComputeKey;
