using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Controller.Directory;

public interface IDirectoryEvent;

/// <summary>A boot was accepted: the instance's number and fixed IP are now taken.</summary>
public sealed record InstanceRequested(InstanceSpec Spec) : IDirectoryEvent;

/// <summary>The instance reached a stable state (task_state null) worth remembering while its host is away.</summary>
public sealed record InstanceRecorded(InstanceState State) : IDirectoryEvent;

/// <summary>The instance is deleted: its name, number and IP are no longer shown or held.</summary>
public sealed record InstanceRemoved(Guid InstanceId) : IDirectoryEvent;

/// <summary>
/// A user action accepted while the instance's host was unreachable: it waits here, as Nova's cast waits in the
/// host's queue, and goes to the host when the host is back.
/// </summary>
public sealed record InstanceActionQueued(Guid InstanceId, InstanceAction Action, DateTimeOffset At) : IDirectoryEvent;

/// <summary>The queued action of the instance went to its host (which answers the outcome with the instance's state).</summary>
public sealed record QueuedActionDelivered(Guid InstanceId) : IDirectoryEvent;

/// <param name="Queued">Actions waiting for their hosts; absent in snapshots written before actions could wait.</param>
/// <param name="Removed">
/// The ids of deleted instances, so a host that comes back with one is told to delete it; absent in snapshots written
/// before they were kept (a host then holding an instance deleted before that snapshot keeps it, and it is logged).
/// </param>
public sealed record DirectorySnapshot(long NextNumber, InstanceState[] Instances, InstanceActionQueued[]? Queued = null, Guid[]? Removed = null);
