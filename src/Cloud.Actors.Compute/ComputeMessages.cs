namespace Cloud.Actors.Compute;

/// <summary>Messages between a compute actor and its instance actors; they never leave the host.</summary>
internal sealed record GuestPowerChanged(Guid InstanceId, int PowerState);

/// <summary>An instance actor is done on this host (deleted, or rescheduled elsewhere).</summary>
internal sealed record InstanceDeparted(Guid InstanceId);

internal sealed record Reregister
{
    public static readonly Reregister Instance = new();
}

internal sealed record SyncPowerStates
{
    public static readonly SyncPowerStates Instance = new();
}
