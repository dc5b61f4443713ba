namespace Cloud.Actors.Domain.Messages;

/// <summary>
/// A message that crosses, or may cross, nodes: controller and compute hosts, the singletons (scheduler,
/// directory) and whoever asks them. Bound in hocon/base.conf to the JSON message serializer, so each needs a
/// manifest in <see cref="Serialization.DomainManifests"/>. Every message record in Messages/ carries it; records
/// that only travel inside one (HostGuest) and actors' private messages do not.
/// </summary>
public interface IClusterMessage;
