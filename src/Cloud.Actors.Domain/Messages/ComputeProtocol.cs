using Akka.Actor;
using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Domain.Messages;

/// <summary>Build this instance on the receiving host. Idempotent by instance id (delivery is at-least-once).</summary>
public sealed record BuildInstance(InstanceSpec Spec);

/// <summary>The host took the build; the directory stops re-sending it.</summary>
public sealed record BuildAccepted(Guid InstanceId, string Host);

/// <summary>A user action for an instance; answered with <see cref="ActionAccepted"/> or <see cref="ActionRejected"/>.</summary>
public sealed record InstanceCommand(Guid InstanceId, InstanceAction Action);

public sealed record ActionAccepted(InstanceState State);

/// <summary>Refused, with an HTTP-like code: 404 unknown, 409 conflict with the current state, 503 host unavailable.</summary>
public sealed record ActionRejected(string Message, int Code);

/// <summary>Rename this instance (its journal records the new display name).</summary>
public sealed record RenameInstance(Guid InstanceId, string Name);

/// <summary>Rebuild this instance from <paramref name="Image"/> (Nova's rebuild); answered with ActionAccepted or ActionRejected.</summary>
public sealed record RebuildInstance(Guid InstanceId, InstanceImage Image);

/// <summary>The instance's actions, read from its journal on its host; answered with <see cref="InstanceActionList"/>.</summary>
public sealed record GetInstanceActions(Guid InstanceId);

public sealed record InstanceActionList(Guid InstanceId, InstanceActionRecord[] Actions);

public sealed record GetConsoleOutput(Guid InstanceId, int? Length);

public sealed record ConsoleOutput(Guid InstanceId, string Text);

/// <summary>
/// Follow an instance's console (sent to the directory, which routes it to the instance's host, like
/// <see cref="ConsoleOutputRequest"/>). <paramref name="Subscriber"/> gets the current tail (its last
/// <paramref name="Length"/> lines) as a first <see cref="ConsoleChunk"/>, then every new chunk as the guest
/// writes it, until it stops or the instance is deleted (<see cref="ConsoleFollowEnded"/>). A refusal comes
/// back as <see cref="ActionRejected"/>. The subscriber is watched, so stopping it is how to unsubscribe.
/// </summary>
public sealed record FollowConsole(Guid InstanceId, int? Length, IActorRef Subscriber);

/// <summary>Console text, in the order the guest wrote it; a chunk never splits a character.</summary>
public sealed record ConsoleChunk(Guid InstanceId, string Text);

/// <summary>Nothing more will come: the instance was deleted.</summary>
public sealed record ConsoleFollowEnded(Guid InstanceId, string Reason);

/// <summary>What the compute actor knows of its host, for the shell's host palette; answered with <see cref="HostStatus"/>.</summary>
public sealed record GetHostStatus
{
    public static readonly GetHostStatus Instance = new();
}

/// <summary>
/// The host as it registers (size, zone, service status), how many instances it holds, and every guest its
/// hypervisor lists (a libvirtd may run other hosts' guests too).
/// </summary>
public sealed record HostStatus(Hosts.HostCapabilities Capabilities, int Instances, HostGuest[] Guests);

/// <param name="Owner">
/// <see cref="HostGuest.OwnedByInstance"/>, <see cref="HostGuest.Orphan"/> (its files are on this host but no
/// instance owns it) or <see cref="HostGuest.OtherHost"/>.
/// </param>
public sealed record HostGuest(string Name, Guid Uuid, int PowerState, string Owner)
{
    public const string OwnedByInstance = "instance";
    public const string Orphan = "orphan";
    public const string OtherHost = "other host";
}
