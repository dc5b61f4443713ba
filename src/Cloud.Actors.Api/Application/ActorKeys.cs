namespace Cloud.Actors.Api.Application;

// Keys of Akka.Hosting's ActorRegistry for the actors the application layer asks. The node's composition
// (Cloud.Actors.Node) registers them: the singleton proxies on every node, /user/compute on compute hosts.

/// <summary>The scheduler singleton's proxy.</summary>
public sealed class SchedulerKey;

/// <summary>The directory singleton's proxy.</summary>
public sealed class DirectoryKey;

/// <summary>The network service singleton's proxy (Neutron's server).</summary>
public sealed class NetworkKey;

/// <summary>The network agent singleton (DHCP and metadata proxies), where it runs.</summary>
public sealed class NetworkAgentKey;

/// <summary>The catalog singleton's proxy.</summary>
public sealed class CatalogKey;

/// <summary>This node's compute actor (compute hosts only).</summary>
public sealed class ComputeKey;
