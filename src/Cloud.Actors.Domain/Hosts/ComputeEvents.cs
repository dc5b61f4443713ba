using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Hosts;

/// <summary>
/// What a compute actor persists: which instances live on its host and what they use, and the status of its
/// nova-compute service.
/// </summary>
public interface IComputeEvent;

public sealed record InstanceAssigned(Guid InstanceId, Resources Resources) : IComputeEvent;

public sealed record InstanceLeft(Guid InstanceId) : IComputeEvent;

/// <summary>An operator enabled or disabled the host's nova-compute service (Nova's services.disabled and disabled_reason).</summary>
public sealed record ComputeServiceStatusChanged(bool Enabled, string? DisabledReason, DateTimeOffset At) : IComputeEvent;

/// <summary>The compute actor's snapshot: its instances and its service status.</summary>
public sealed record ComputeSnapshot(InstanceAssigned[] Instances, bool Enabled, string? DisabledReason) : IComputeEvent;
