using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Domain.Tests;

/// <summary>Instances in a chosen state, for the specs.</summary>
internal static class Given
{
    public static readonly Guid Id = Guid.Parse("6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    public static readonly DateTimeOffset CreatedAt = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static InstanceSpec Spec() => new(
        Id, 0x1c, "vm1", "demo-project", "demo-user", Flavor.Classic[0],
        new InstanceImage("4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "cirros", new Dictionary<string, string>()),
        null, null, [new FixedIp("net", "privada", "10.0.0.2", "fa:16:3e:00:00:01")], "nova", 0, CreatedAt);

    /// <summary>An instance on compute-1 resting in <paramref name="vmState"/> with <paramref name="taskState"/>.</summary>
    public static InstanceState Instance(string vmState, string? taskState) =>
        InstanceState.Requested(Spec()) with { Host = "compute-1", VmState = vmState, TaskState = taskState };

    public static DateTimeOffset At(int seconds) => CreatedAt.AddSeconds(seconds);
}
