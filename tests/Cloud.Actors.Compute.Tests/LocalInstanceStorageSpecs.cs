using System.Diagnostics;
using Cloud.Actors.Compute.Images;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Compute.Tests;

/// <summary>The instance files a spawn prepares, checked with the real qemu-img and isoinfo.</summary>
public sealed class LocalInstanceStorageSpecs : IAsyncLifetime
{
    private const string ImageId = "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed";
    private const string KernelId = "9e1c6bd5-0c1a-4e4f-9b7e-6a3f1f0c2a01";
    private const string RamdiskId = "b7d0e2f4-5a8c-4d3e-8f21-3c6b9a7e1d02";

    private readonly string _instances = Directory.CreateTempSubdirectory("cloud-actors-instances-").FullName;
    private readonly BaseFiles _images;

    public LocalInstanceStorageSpecs() => _images = new BaseFiles(Path.Combine(_instances, "_base"));

    public async Task InitializeAsync()
    {
        await _images.AddRawAsync(ImageId, 16 << 20, new Dictionary<string, string>());
        await _images.AddRawAsync(KernelId, 4096, new Dictionary<string, string>());
        await _images.AddRawAsync(RamdiskId, 4096, new Dictionary<string, string>());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_instances, recursive: true);
        return Task.CompletedTask;
    }

    private LocalInstanceStorage Storage => new(_instances, _images, new QemuImg(), new ConfigDrive());

    private static InstanceSpec Spec(string image = ImageId, int rootGb = 1, bool configDrive = true) => new(
        Guid.Parse("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2"), 0x1c, "test2", "admin", "admin",
        new Flavor("1", "m1.tiny", 512, 1, rootGb), new InstanceImage(image, "cirros", new Dictionary<string, string>()),
        "miclave", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 miclave", [], "nova", 0, DateTimeOffset.UtcNow, configDrive);

    [Fact]
    public async Task Without_config_drive_asked_or_forced_there_is_none_and_a_rebuild_drops_an_earlier_one()
    {
        var withDrive = await Storage.PrepareAsync(Spec());
        Assert.True(File.Exists(withDrive!.ConfigDrivePath));

        // The rebuild of the same instance without one (the metadata service serves it): nothing is attached.
        var without = await Storage.PrepareAsync(Spec(configDrive: false));
        Assert.Null(without!.ConfigDrivePath);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(without.DiskPath)!, "disk.config")));

        // Nova's force_config_drive makes one anyway.
        var forced = await new LocalInstanceStorage(_instances, _images, new QemuImg(), new ConfigDrive(), forceConfigDrive: true)
            .PrepareAsync(Spec(configDrive: false));
        Assert.NotNull(forced!.ConfigDrivePath);
    }

    [Fact]
    public async Task The_disk_is_a_qcow2_overlay_on_the_raw_base_sized_to_the_flavors_root_disk()
    {
        var disks = await Storage.PrepareAsync(Spec());

        var info = await new QemuImg().InfoAsync(disks!.DiskPath);
        Assert.Equal(Path.Combine(_instances, "f69ab4d9-ed28-406e-8a78-67f62a5e4bc2", "disk"), disks.DiskPath);
        Assert.Equal("qcow2", info.Format);
        Assert.Equal(1L << 30, info.VirtualSize);
        Assert.Equal(_images.PathOf(ImageId), info.BackingFilename);
        Assert.Equal("raw", info.BackingFilenameFormat);
    }

    [Fact]
    public async Task Disk_info_names_the_disk_as_qcow2_and_the_config_drive_is_labelled_config_2()
    {
        var disks = await Storage.PrepareAsync(Spec());
        var directory = Path.GetDirectoryName(disks!.DiskPath)!;

        Assert.Equal(new Dictionary<string, string> { [disks.DiskPath] = "qcow2" }, await DiskInfo.ReadAsync(directory));
        Assert.Equal(Path.Combine(directory, "disk.config"), disks.ConfigDrivePath);
        Assert.Contains("Volume id: config-2", await Run("isoinfo", "-d", "-i", disks.ConfigDrivePath!));
        var metadata = await Run("isoinfo", "-R", "-i", disks.ConfigDrivePath!, "-x", "/openstack/latest/meta_data.json");
        Assert.Contains("\"hostname\":\"test2.novalocal\"", metadata);
        Assert.Contains("\"miclave\":\"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 miclave\"", metadata);
        Assert.Equal(Path.Combine(directory, "console.log"), disks.ConsoleLogPath);
        Assert.Null(disks.KernelBoot);
    }

    [Fact]
    public async Task An_image_with_kernel_and_ramdisk_boots_them_directly_from_links_to_the_cache()
    {
        const string withKernel = "0b0c0d0e-0000-4000-8000-000000000001";
        await _images.AddRawAsync(withKernel, 16 << 20, new Dictionary<string, string>
        {
            ["kernel_id"] = KernelId,
            ["ramdisk_id"] = RamdiskId,
            ["os_command_line"] = "console=ttyS0 quiet",
        });

        var boot = (await Storage.PrepareAsync(Spec(withKernel)))!.KernelBoot!;

        Assert.Equal("console=ttyS0 quiet", boot.Cmdline);
        Assert.EndsWith("/kernel", boot.KernelPath);
        Assert.EndsWith("/ramdisk", boot.InitrdPath);
        // Linked, not copied: the base's link count is how the cache manager knows it is in use.
        Assert.Equal(2u, HardLink.Count(_images.PathOf(KernelId)));
        Assert.Equal(2u, HardLink.Count(_images.PathOf(RamdiskId)));
    }

    [Fact]
    public async Task An_image_larger_than_the_flavors_root_disk_is_refused_and_nothing_is_made()
    {
        const string big = "0b0c0d0e-0000-4000-8000-000000000002";
        await _images.AddRawAsync(big, (1L << 30) + 4096, new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.PrepareAsync(Spec(big)));

        Assert.Contains("Flavor's disk is too small for requested image", error.Message);
        Assert.False(Storage.HasFiles(Spec().Id));
    }

    [Fact]
    public async Task Delete_removes_the_instance_directory_and_leaves_the_base()
    {
        var storage = Storage;
        await storage.PrepareAsync(Spec());
        Assert.True(storage.HasFiles(Spec().Id));

        await storage.DeleteAsync(Spec().Id);

        Assert.False(storage.HasFiles(Spec().Id));
        Assert.False(Directory.Exists(Path.Combine(_instances, Spec().Id + "_del")));
        Assert.True(File.Exists(_images.PathOf(ImageId)));
    }

    private static async Task<string> Run(string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true })!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return text;
    }

    /// <summary>An image cache whose bases are made on the spot with qemu-img: the storage's side of the contract only.</summary>
    private sealed class BaseFiles(string directory) : IImageCache
    {
        private readonly Dictionary<string, CachedImage> _images = new();

        public string PathOf(string imageId) => _images[imageId].Path;

        public async Task AddRawAsync(string imageId, long size, IReadOnlyDictionary<string, string> properties)
        {
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, imageId);
            await new QemuImg().CreateAsync(path, "raw", size);
            _images[imageId] = new CachedImage(imageId, path, "raw", size, properties);
        }

        public Task<CachedImage> FetchAsync(string imageId, IProgress<ImageFetchProgress>? progress = null, CancellationToken ct = default) =>
            _images.TryGetValue(imageId, out var image)
                ? Task.FromResult(image)
                : Task.FromException<CachedImage>(new FileNotFoundException($"image {imageId} is not cached"));
    }
}
