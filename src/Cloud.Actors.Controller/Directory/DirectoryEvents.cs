using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Controller.Directory;

public interface IDirectoryEvent;

/// <summary>A boot was accepted: the instance's number and fixed IP are now taken.</summary>
public sealed record InstanceRequested(InstanceSpec Spec) : IDirectoryEvent;

/// <summary>The instance reached a stable state (task_state null) worth remembering while its host is away.</summary>
public sealed record InstanceRecorded(InstanceState State) : IDirectoryEvent;

/// <summary>The instance is deleted: its name, number and IP are no longer shown or held.</summary>
public sealed record InstanceRemoved(Guid InstanceId) : IDirectoryEvent;

public sealed record DirectorySnapshot(long NextNumber, InstanceState[] Instances);
