using System.Text.Json;
using System.Text.RegularExpressions;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Compute.Images;

/// <summary>
/// One pass of Nova's image cache manager (nova/virt/libvirt/imagecache.py) over instances/: records this host in
/// instances/compute_nodes, then removes each _base file that no instance disk uses and nobody has touched for
/// the minimum age. A base is in use when a qcow2 file in any instances/&lt;dir&gt;/ names it as backing file
/// (instances/ may be shared, so that covers other hosts' guests too) or when it has another hard link (kernel
/// and ramdisk). Files it does not recognise as its own are never touched.
/// </summary>
public sealed partial class ImageCacheManager(string instancesPath, string host, ImageCacheSettings settings, TimeProvider? clock = null)
{
    public const string ComputeNodesFileName = "compute_nodes";
    private static readonly TimeSpan RegistryLockTimeout = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string InstancesPath { get; } = Path.GetFullPath(instancesPath);

    private string BasePath => Path.Combine(InstancesPath, ImageCache.BaseDirectoryName);

    public ImageCachePass RunPass()
    {
        Directory.CreateDirectory(InstancesPath);
        RegisterHost();
        var removed = new List<string>();
        var inUseKept = new List<string>();
        var youngKept = new List<string>();
        var unusedKept = new List<string>();
        if (!Directory.Exists(BasePath)) return new ImageCachePass(removed, inUseKept, youngKept, unusedKept);

        var now = _clock.GetUtcNow().UtcDateTime;
        var inUse = BackingFilesInUse();
        foreach (var file in Directory.GetFiles(BasePath))
        {
            // Gone already: the .info of a base removed earlier in this pass.
            if (!File.Exists(file)) continue;
            var name = Path.GetFileName(file);
            var age = now - File.GetLastWriteTimeUtc(file);
            if (BaseName().IsMatch(name))
            {
                if (inUse.Contains(file) || HardLink.Count(file) is not 1) inUseKept.Add(file);
                else if (age < settings.RemoveUnusedOriginalMinimumAge) youngKept.Add(file);
                else if (!settings.RemoveUnusedBaseImages) unusedKept.Add(file);
                else if (TryRemove(file, name, now)) removed.Add(file);
                else youngKept.Add(file);
            }
            else if (LeftoverName().IsMatch(name) && age >= settings.AbandonedFetchAge)
            {
                // A .part or .converted nobody has written to for an hour is from a fetch that died; an .info whose
                // base is gone describes nothing.
                if (name.EndsWith(BaseImageInfo.Suffix, StringComparison.Ordinal) && File.Exists(file[..^BaseImageInfo.Suffix.Length]))
                    continue;
                File.Delete(file);
                removed.Add(file);
            }
        }

        return new ImageCachePass(removed, inUseKept, youngKept, unusedKept);
    }

    /// <summary>
    /// Removes a base under its lock, as Nova's _remove_old_enough_file does: the image cache touches a base under
    /// the same lock, so a base a spawn is about to use is seen young again here and kept. A base whose lock is
    /// held right now is being fetched or used: it is kept until the next pass.
    /// </summary>
    private bool TryRemove(string file, string name, DateTime now)
    {
        using var held = FileLock.TryAcquire(Path.Combine(InstancesPath, ImageCache.LocksDirectoryName, "nova-" + name));
        if (held is null || !File.Exists(file)) return false;
        if (now - File.GetLastWriteTimeUtc(file) < settings.RemoveUnusedOriginalMinimumAge) return false;
        File.Delete(file);
        File.Delete(file + BaseImageInfo.Suffix);
        return true;
    }

    /// <summary>
    /// Nova's _register_storage_use: instances/compute_nodes maps each host that uses this instances path to the
    /// unix time it last said so. Other hosts' entries are kept; the file is shared and changed under a lock.
    /// </summary>
    private void RegisterHost()
    {
        var path = Path.Combine(InstancesPath, ComputeNodesFileName);
        using var _ = FileLock.Acquire(Path.Combine(InstancesPath, ImageCache.LocksDirectoryName, "nova-storage-registry-lock"), RegistryLockTimeout);
        var hosts = new SortedDictionary<string, double>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var entry in document.RootElement.EnumerateObject())
                    if (entry.Value.ValueKind == JsonValueKind.Number)
                        hosts[entry.Name] = entry.Value.GetDouble();
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException)
        {
            // No file yet, or a damaged one: this host's entry starts it afresh.
        }

        hosts[host] = _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var partial = path + ".part";
        File.WriteAllBytes(partial, JsonSerializer.SerializeToUtf8Bytes(hosts));
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The full paths of the files any qcow2 file in an instance directory has as backing file.</summary>
    private HashSet<string> BackingFilesInUse()
    {
        var inUse = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(InstancesPath))
        {
            var name = Path.GetFileName(directory);
            if (name is ImageCache.BaseDirectoryName or ImageCache.LocksDirectoryName or "snapshots") continue;
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                if (Qcow2Header.BackingFile(file) is not { } backing) continue;
                // qemu reads a relative backing file relative to the overlay's directory.
                inUse.Add(Path.GetFullPath(backing, directory));
            }
        }

        return inUse;
    }

    /// <summary>Nova's base names: sha1(image id) hex, and &lt;sha1&gt;_&lt;size&gt; for a resized copy.</summary>
    [GeneratedRegex("^[0-9a-f]{40}(_[0-9]+)?$")]
    private static partial Regex BaseName();

    [GeneratedRegex("^[0-9a-f]{40}(_[0-9]+)?(\\.part|\\.converted|\\.info)$")]
    private static partial Regex LeftoverName();
}
