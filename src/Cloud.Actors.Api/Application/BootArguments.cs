namespace Cloud.Actors.Api.Application;

/// <summary>A boot as the user typed it: names or ids, not yet resolved or validated.</summary>
public sealed record BootArguments(
    string Name,
    string? Image,
    string? Flavor,
    string? KeyName,
    IReadOnlyList<string> NetworkIds,
    string? AvailabilityZone = null,
    int MinCount = 1,
    int MaxCount = 1);
