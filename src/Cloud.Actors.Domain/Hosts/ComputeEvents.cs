using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Hosts;

/// <summary>What a compute actor persists: which instances live on its host and what they use.</summary>
public interface IComputeEvent;

public sealed record InstanceAssigned(Guid InstanceId, Resources Resources) : IComputeEvent;

public sealed record InstanceLeft(Guid InstanceId) : IComputeEvent;
