using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Scheduler.Tests;

/// <summary>Hosts and requests for the scheduler specs.</summary>
internal static class Given
{
    public static HostCapabilities Host(
        string name, long memoryMb = 1024, long diskGb = 10, int vcpus = 2, string zone = "nova", bool enabled = true,
        IReadOnlyDictionary<string, string>? properties = null) =>
        new(name, name, "QEMU", vcpus, memoryMb, diskGb, zone, enabled, properties ?? new Dictionary<string, string>());

    public static HostCandidate Candidate(HostCapabilities host, Resources? used = null, bool up = true) =>
        new(host, used ?? Resources.Zero, up);

    public static SelectDestination Request(
        long memoryMb = 256, long diskGb = 1, int vcpus = 1, string? zone = null,
        IReadOnlyDictionary<string, string>? imageProperties = null, Guid? id = null, params string[] excluded) =>
        new(id ?? Guid.NewGuid(), new Resources(vcpus, memoryMb, diskGb), zone,
            imageProperties ?? new Dictionary<string, string>(), excluded);

    public static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);
}
