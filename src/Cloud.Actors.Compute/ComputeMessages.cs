using Cloud.Actors.Virt;

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

/// <summary>What the hypervisor and the host's plugging listed, at start (<paramref name="SyncPower"/> false) or at a power sync.</summary>
internal sealed record HostListed(IReadOnlyList<GuestInfo> Guests, IReadOnlyList<Virt.Networking.PluggedVif> Vifs, bool SyncPower);

/// <summary>An idle instance actor asks to be stopped to save memory; its host remembers the guest's power state.</summary>
internal sealed record Passivate(Guid InstanceId, int PowerState);

/// <summary>The host agrees: the instance actor stops now unless a message since made it busy.</summary>
internal sealed record PassivateConfirmed
{
    public static readonly PassivateConfirmed Instance = new();
}

/// <summary>A message arrived before the confirmation and the instance is busy again: it stays.</summary>
internal sealed record PassivateCancelled(Guid InstanceId);
