using Akka.Actor;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Domain.Messages;

/// <summary>
/// A validated boot request. The directory gives it its instance number, records it durably, answers with the BUILD
/// view, then has it scheduled and built. <paramref name="Addresses"/> are its ports' fixed IPs and MACs, which the
/// network service gave before the boot was sent (null in requests of earlier releases: no address).
/// <paramref name="Network"/> is the first NIC's network (null with networks "none"); only the addresses count.
/// </summary>
public sealed record BootRequest(
    Guid Id,
    string Name,
    string ProjectId,
    string UserId,
    Flavor Flavor,
    InstanceImage Image,
    string? KeyName,
    string? PublicKey,
    Network? Network,
    string AvailabilityZone,
    int LaunchIndex,
    DateTimeOffset At,
    FixedIp[]? Addresses = null,
    bool ConfigDrive = false,
    string? UserData = null,
    ServerAttributes? Attributes = null) : IClusterMessage;

public sealed record BootAccepted(InstanceState State) : IClusterMessage;

public sealed record BootRejected(string Message, int Code) : IClusterMessage;

/// <summary>Look an instance up by uuid or by name; <paramref name="ProjectId"/> null means any project (admin).</summary>
public sealed record FindInstance(string NameOrId, string? ProjectId) : IClusterMessage;

/// <summary>The instance's last known view and whether its host is reachable (UP, DOWN or UNKNOWN).</summary>
public sealed record InstanceFound(InstanceState State, string HostStatus) : IClusterMessage;

public sealed record InstanceNotFound(string Message, int Code = 404) : IClusterMessage;

public sealed record ListInstances(string? ProjectId) : IClusterMessage;

public sealed record InstanceList(InstanceFound[] Instances) : IClusterMessage;

/// <summary>Run a user action on an instance wherever it lives.</summary>
public sealed record InstanceActionRequest(Guid InstanceId, InstanceAction Action) : IClusterMessage;

/// <summary>Rename an instance wherever it lives; answered with ActionAccepted or ActionRejected.</summary>
public sealed record RenameInstanceRequest(Guid InstanceId, string Name) : IClusterMessage;

/// <summary>Change an instance's access IPs and description wherever it lives; answered with ActionAccepted or ActionRejected.</summary>
public sealed record ChangeInstanceAttributesRequest(Guid InstanceId, ServerAttributes Attributes) : IClusterMessage;

/// <summary>Rebuild an instance wherever it lives from another (or the same) image; answered with ActionAccepted or ActionRejected.</summary>
public sealed record RebuildInstanceRequest(Guid InstanceId, InstanceImage Image) : IClusterMessage;

/// <summary>An instance's actions (os-instance-actions), from its host's journal.</summary>
public sealed record InstanceActionsRequest(Guid InstanceId) : IClusterMessage;

public sealed record ConsoleOutputRequest(Guid InstanceId, int? Length) : IClusterMessage;

/// <summary>A compute host is up and reachable at <paramref name="Compute"/>.</summary>
public sealed record ComputeAvailable(string Host, IActorRef Compute) : IClusterMessage;

/// <summary>An instance's state changed on its host (sent by the InstanceActor on every step and after recovery).</summary>
public sealed record InstanceChanged(InstanceState State) : IClusterMessage;

/// <summary>The spawn failed on <paramref name="FailedHost"/>; try another host if attempts remain.</summary>
public sealed record RescheduleBuild(InstanceSpec Spec, string FailedHost, string Reason) : IClusterMessage;

/// <summary>
/// The directory asks a compute host which instances it holds: sent the first time a directory incarnation hears
/// from the host, and again when the host comes back after being unreachable. Answered with <see cref="HostInstances"/>.
/// </summary>
public sealed record ReportInstances : IClusterMessage
{
    public static readonly ReportInstances Instance = new();
}

/// <summary>Every instance <paramref name="Host"/> holds (assigned or being assigned), as its journal says.</summary>
public sealed record HostInstances(string Host, Guid[] InstanceIds) : IClusterMessage;

/// <summary>The directory asks the instance's host to send the instance's current state (an <see cref="InstanceChanged"/>).</summary>
public sealed record PublishInstance(Guid InstanceId) : IClusterMessage;
