using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Virt;

namespace Cloud.Actors.Compute.Storage;

/// <summary>The fake driver's storage: its guests live in memory only, so there is nothing to prepare or remove.</summary>
public sealed class NoInstanceStorage : IInstanceStorage
{
    public static readonly NoInstanceStorage Instance = new();

    private NoInstanceStorage() { }

    public Task<GuestDisks?> PrepareAsync(InstanceSpec spec, IProgress<string>? progress = null, CancellationToken ct = default) =>
        Task.FromResult<GuestDisks?>(null);

    public Task DeleteAsync(Guid id, CancellationToken ct = default) => Task.CompletedTask;

    public string? ConsoleLogPath(Guid id) => null;

    /// <summary>The fake hypervisor belongs to one host: every guest it lists is this host's.</summary>
    public bool HasFiles(Guid id) => true;
}
