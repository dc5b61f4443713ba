using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Api.Application;

/// <summary>
/// A boot as the user typed it: names or ids, not yet resolved or validated. <paramref name="Nics"/>, when given, are
/// Nova's networks (an empty list: "none"); otherwise <paramref name="NetworkIds"/> (empty: "auto").
/// </summary>
public sealed record BootArguments(
    string Name,
    string? Image,
    string? Flavor,
    string? KeyName,
    IReadOnlyList<string> NetworkIds,
    string? AvailabilityZone = null,
    int MinCount = 1,
    int MaxCount = 1,
    IReadOnlyList<NicRequest>? Nics = null,
    bool ConfigDrive = false,
    string? UserData = null,
    ServerAttributes? Attributes = null);

/// <summary>One entry of Nova's networks list: a network uuid (with a fixed IP, optionally), or a port.</summary>
public sealed record NicRequest(string? NetworkId, string? PortId = null, string? FixedIp = null);
