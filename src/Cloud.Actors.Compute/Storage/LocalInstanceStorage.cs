using Cloud.Actors.Compute.Images;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Images;
using Cloud.Actors.Virt.Libvirt;

namespace Cloud.Actors.Compute.Storage;

/// <summary>
/// Instance files on the host's own disk, laid out as Nova's libvirt driver with the Qcow2 image backend lays
/// them out: instances/_base/&lt;sha1&gt; shared and raw, instances/&lt;uuid&gt;/disk a qcow2 overlay on it sized to the
/// flavor's root disk, disk.info, disk.config (the config drive, made when the boot asked for one or when
/// <paramref name="forceConfigDrive"/> is set, as Nova's force_config_drive) and,
/// for an image with its own kernel and ramdisk, instances/&lt;uuid&gt;/kernel and ramdisk hard-linked from _base.
/// </summary>
public sealed class LocalInstanceStorage(string instancesPath, IImageCache images, QemuImg qemuImg, ConfigDrive configDrive,
    bool forceConfigDrive = false) : IInstanceStorage
{
    /// <summary>Nova's default kernel command line for a direct kernel boot, when the image sets no os_command_line.</summary>
    public const string DefaultCommandLine = "root=/dev/vda console=tty0 console=ttyS0";

    private readonly string _instancesPath = Path.GetFullPath(instancesPath);

    public async Task<GuestDisks?> PrepareAsync(InstanceSpec spec, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var fetchProgress = progress is null ? null : new Progress<ImageFetchProgress>(p => progress.Report(Describe(p)));
        var image = await images.FetchAsync(spec.Image.Id, fetchProgress, ct);
        var rootBytes = (long)spec.Flavor.RootGb << 30;
        if (spec.Flavor.RootGb > 0 && image.SizeBytes > rootBytes)
            throw new InvalidOperationException(
                $"Flavor's disk is too small for requested image. Flavor disk is {rootBytes} bytes, image is {image.SizeBytes} bytes.");

        var directory = new InstanceDirectory(_instancesPath, spec.Id);
        directory.Create();
        // A spawn retried on this host (after a restart) starts from a clean overlay: the old one may be half made.
        if (File.Exists(directory.Disk)) File.Delete(directory.Disk);
        await qemuImg.CreateOverlayAsync(directory.Disk, image.Path, image.Format, spec.Flavor.RootGb, ct);
        await DiskInfo.WriteAsync(directory.FullPath, "qcow2", ct);
        progress?.Report($"disk {directory.Disk} on {image.Path}");

        string? drive = null;
        if (spec.ConfigDrive || forceConfigDrive)
        {
            await configDrive.BuildAsync(InstanceMetadata.Of(spec), directory.DiskConfig, ct);
            progress?.Report($"config drive {directory.DiskConfig}");
            drive = directory.DiskConfig;
        }
        // A rebuild without a drive must not attach the one an earlier build left.
        else if (File.Exists(directory.DiskConfig)) File.Delete(directory.DiskConfig);

        return new GuestDisks(directory.Disk, drive, directory.ConsoleLog,
            await KernelBootAsync(image, directory, fetchProgress, ct));
    }

    public Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        new InstanceDirectory(_instancesPath, id).Delete();
        return Task.CompletedTask;
    }

    public string? ConsoleLogPath(Guid id) => new InstanceDirectory(_instancesPath, id).ConsoleLog;

    public bool HasFiles(Guid id) => new InstanceDirectory(_instancesPath, id).Exists;

    /// <summary>
    /// An image whose kernel_id and ramdisk_id properties name other images boots them directly (Nova's
    /// AMI/AKI/ARI handling): both are fetched into _base like any image and linked into the instance directory.
    /// </summary>
    private async Task<DirectKernelBoot?> KernelBootAsync(
        CachedImage image, InstanceDirectory directory, IProgress<ImageFetchProgress>? progress, CancellationToken ct)
    {
        if (!image.Properties.TryGetValue("kernel_id", out var kernelId) || string.IsNullOrWhiteSpace(kernelId))
        {
            // A rebuild from a kernel image to one without: the old links would keep their bases in use.
            File.Delete(Path.Combine(directory.FullPath, "kernel"));
            File.Delete(Path.Combine(directory.FullPath, "ramdisk"));
            return null;
        }
        var kernel = await LinkAsync(kernelId, Path.Combine(directory.FullPath, "kernel"), progress, ct);
        string? ramdisk = null;
        if (image.Properties.TryGetValue("ramdisk_id", out var ramdiskId) && !string.IsNullOrWhiteSpace(ramdiskId))
            ramdisk = await LinkAsync(ramdiskId, Path.Combine(directory.FullPath, "ramdisk"), progress, ct);
        else
            File.Delete(Path.Combine(directory.FullPath, "ramdisk"));
        var cmdline = image.Properties.TryGetValue("os_command_line", out var line) && !string.IsNullOrWhiteSpace(line)
            ? line
            : DefaultCommandLine;
        return new DirectKernelBoot(kernel, ramdisk, cmdline);
    }

    /// <summary>
    /// The base file linked (not copied) into the instance directory: no extra space, and the link count tells the
    /// cache manager the base is in use.
    /// </summary>
    private async Task<string> LinkAsync(string imageId, string target, IProgress<ImageFetchProgress>? progress, CancellationToken ct)
    {
        var cached = await images.FetchAsync(imageId, progress, ct);
        if (File.Exists(target)) File.Delete(target);
        HardLink.Create(cached.Path, target);
        return target;
    }

    private static string Describe(ImageFetchProgress p) => p.TotalBytes is { } total and > 0
        ? $"image {p.ImageId}: {p.BytesDone * 100 / total}% of {total} bytes"
        : $"image {p.ImageId}: {p.BytesDone} bytes";
}
