using Akka.Actor;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;

namespace Cloud.Actors.Domain.Messages;

/// <summary>A compute host announces itself, with what its instances already use. Sent on start and periodically.</summary>
public sealed record RegisterHost(HostCapabilities Capabilities, IReadOnlyDictionary<Guid, Resources> Allocations, IActorRef Compute) : IClusterMessage;

/// <summary>
/// Find a host for an instance and claim its resources there before answering.
/// <paramref name="ExcludedHosts"/> are hosts already tried (a reschedule).
/// </summary>
public sealed record SelectDestination(
    Guid InstanceId,
    Resources Requested,
    string? AvailabilityZone,
    IReadOnlyDictionary<string, string> ImageProperties,
    string[] ExcludedHosts) : IClusterMessage;

// Collections cross the wire as JSON arrays and objects: the message serializer reads an interface-typed one
// (IReadOnlyDictionary above) back as a Dictionary or List, so the synthesized type a collection expression
// compiles to never has to exist on the receiving node (Akka's default Newtonsoft serializer wrote its name).

/// <summary>The chosen host, its compute actor, and the next-best hosts (Nova's alternates).</summary>
public sealed record DestinationSelected(Guid InstanceId, string Host, IActorRef Compute, string[] Alternates) : IClusterMessage;

public sealed record NoValidHost(Guid InstanceId, string Reason) : IClusterMessage
{
    public const string Message = "No valid host was found. ";
}

/// <summary>The instance no longer uses resources on the host (deleted, or moved away).</summary>
public sealed record ReleaseClaim(string Host, Guid InstanceId) : IClusterMessage;

/// <summary>
/// Enable or disable a host's nova-compute service (sent to the scheduler, which knows each host's compute
/// actor). The host journals it, so it outlives restarts of the host and hand-overs of the scheduler; the
/// answer, once the scheduler has applied it, is the host's new <see cref="HostView"/>, or
/// <see cref="ActionRejected"/> (404 unknown host, 409 host down).
/// </summary>
public sealed record SetHostEnabled(string Host, bool Enabled, string? DisabledReason = null) : IClusterMessage;

/// <summary>The scheduler asks the host's compute actor to journal a service status change for <paramref name="ReplyTo"/>.</summary>
public sealed record ChangeServiceStatus(bool Enabled, string? DisabledReason, IActorRef ReplyTo) : IClusterMessage;

/// <summary>The compute actor journaled the change; the scheduler applies it and answers <paramref name="ReplyTo"/>.</summary>
public sealed record ServiceStatusChanged(string Host, bool Enabled, string? DisabledReason, IActorRef ReplyTo) : IClusterMessage;

public sealed record GetHosts : IClusterMessage
{
    public static readonly GetHosts Instance = new();
}

/// <summary>One host as the scheduler sees it, last heard from at <paramref name="UpdatedAt"/>: for hypervisor-list, service-list and tests.</summary>
public sealed record HostView(HostCapabilities Capabilities, bool Up, Resources Used, int RunningVms, DateTimeOffset UpdatedAt) : IClusterMessage;

/// <summary>Every host, and the node the scheduler itself runs on (the host of the nova-scheduler service).</summary>
public sealed record HostsReport(HostView[] Hosts, string SchedulerHost) : IClusterMessage;

/// <summary>
/// A scheduler that has just started (a hand-over, a controller restart) asks every compute host to register at once,
/// instead of waiting for the next periodic registration, so it knows every host's allocations before it places.
/// </summary>
public sealed record RegisterNow : IClusterMessage
{
    public static readonly RegisterNow Instance = new();
}
