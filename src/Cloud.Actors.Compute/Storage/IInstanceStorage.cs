using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Virt;

namespace Cloud.Actors.Compute.Storage;

/// <summary>
/// What a host keeps on disk for its instances (Nova's image backend and instance directory): the spawn
/// prepares a guest's files before the hypervisor defines it, and a delete removes them afterwards.
/// </summary>
public interface IInstanceStorage
{
    /// <summary>
    /// Readies instances/&lt;uuid&gt;/ for a spawn: base image in the cache, disk overlay, disk.info, config drive.
    /// Returns the files to put in the guest's definition, or null for a driver that keeps no files.
    /// </summary>
    Task<GuestDisks?> PrepareAsync(InstanceSpec spec, IProgress<string>? progress = null, CancellationToken ct = default);

    /// <summary>Removes instances/&lt;uuid&gt;/ (through &lt;uuid&gt;_del); an absent directory is already removed.</summary>
    Task DeleteAsync(Guid id, CancellationToken ct = default);

    /// <summary>Where the guest's serial console is written, or null when the driver keeps no console file.</summary>
    string? ConsoleLogPath(Guid id);

    /// <summary>
    /// Whether this host keeps files of instance <paramref name="id"/>. Several hosts may share one libvirtd (and
    /// so see each other's domains); a domain is this host's only when its files are here.
    /// </summary>
    bool HasFiles(Guid id);
}
