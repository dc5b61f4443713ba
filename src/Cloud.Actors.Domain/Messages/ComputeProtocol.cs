using Akka.Actor;
using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Domain.Messages;

/// <summary>Build this instance on the receiving host. Idempotent by instance id (delivery is at-least-once).</summary>
public sealed record BuildInstance(InstanceSpec Spec) : IClusterMessage;

/// <summary>The host took the build; the directory stops re-sending it.</summary>
public sealed record BuildAccepted(Guid InstanceId, string Host) : IClusterMessage;

/// <summary>A user action for an instance; answered with <see cref="ActionAccepted"/> or <see cref="ActionRejected"/>.</summary>
public sealed record InstanceCommand(Guid InstanceId, InstanceAction Action) : IClusterMessage;

public sealed record ActionAccepted(InstanceState State) : IClusterMessage;

/// <summary>Refused, with an HTTP-like code: 404 unknown, 409 conflict with the current state, 503 host unavailable.</summary>
public sealed record ActionRejected(string Message, int Code) : IClusterMessage;

/// <summary>Rename this instance (its journal records the new display name).</summary>
public sealed record RenameInstance(Guid InstanceId, string Name) : IClusterMessage;

/// <summary>Change this instance's access IPs and description (its journal records them).</summary>
public sealed record ChangeInstanceAttributes(Guid InstanceId, ServerAttributes Attributes) : IClusterMessage;

/// <summary>Rebuild this instance from <paramref name="Image"/> (Nova's rebuild); answered with ActionAccepted or ActionRejected.</summary>
public sealed record RebuildInstance(Guid InstanceId, InstanceImage Image) : IClusterMessage;

/// <summary>The instance's actions, read from its journal on its host; answered with <see cref="InstanceActionList"/>.</summary>
public sealed record GetInstanceActions(Guid InstanceId) : IClusterMessage;

public sealed record InstanceActionList(Guid InstanceId, InstanceActionRecord[] Actions) : IClusterMessage;

public sealed record GetConsoleOutput(Guid InstanceId, int? Length) : IClusterMessage;

public sealed record ConsoleOutput(Guid InstanceId, string Text) : IClusterMessage;

/// <summary>
/// Follow an instance's console (sent to the directory, which routes it to the instance's host, like
/// <see cref="ConsoleOutputRequest"/>). <paramref name="Subscriber"/> gets the current tail (its last
/// <paramref name="Length"/> lines) as a first <see cref="ConsoleChunk"/>, then every new chunk as the guest
/// writes it, until it stops or the instance is deleted (<see cref="ConsoleFollowEnded"/>). A refusal comes
/// back as <see cref="ActionRejected"/>. The subscriber is watched, so stopping it is how to unsubscribe.
/// </summary>
public sealed record FollowConsole(Guid InstanceId, int? Length, IActorRef Subscriber) : IClusterMessage;

/// <summary>Console text, in the order the guest wrote it; a chunk never splits a character.</summary>
public sealed record ConsoleChunk(Guid InstanceId, string Text) : IClusterMessage;

/// <summary>Nothing more will come: the instance was deleted.</summary>
public sealed record ConsoleFollowEnded(Guid InstanceId, string Reason) : IClusterMessage;

/// <summary>What the compute actor knows of its host, for the shell's host palette; answered with <see cref="HostStatus"/>.</summary>
public sealed record GetHostStatus : IClusterMessage
{
    public static readonly GetHostStatus Instance = new();
}

/// <summary>
/// The host as it registers (size, zone, service status), how many instances it holds, and every guest its
/// hypervisor lists (a libvirtd may run other hosts' guests too).
/// </summary>
public sealed record HostStatus(Hosts.HostCapabilities Capabilities, int Instances, HostGuest[] Guests) : IClusterMessage;

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
