using System.Text.Json;
using Akka.Actor;
using Cloud.Actors.Compute.Images;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Compute.Tests.Images;

public sealed class ImageCacheManagerSpecs : IDisposable
{
    private static readonly DateTime TwoDaysAgo = DateTime.UtcNow.AddDays(-2);
    private readonly ScratchDirectory _instances = new();
    private readonly QemuImg _qemuImg = new(ImageBytes.QemuImg());

    public void Dispose() => _instances.Dispose();

    private ImageCacheManager Manager(string host = "compute1") => new(_instances.Path, host, new ImageCacheSettings());

    private string Base(string imageId, DateTime modified)
    {
        Directory.CreateDirectory(_instances.File("_base"));
        var path = _instances.File("_base", ImageCache.BaseName(imageId));
        File.WriteAllBytes(path, new byte[4096]);
        File.SetLastWriteTimeUtc(path, modified);
        return path;
    }

    private async Task<string> InstanceDiskOn(string basePath)
    {
        var instance = _instances.File(Guid.NewGuid().ToString("D"));
        Directory.CreateDirectory(instance);
        var disk = Path.Combine(instance, "disk");
        await _qemuImg.CreateOverlayAsync(disk, basePath, "raw", 0);
        File.SetLastWriteTimeUtc(basePath, TwoDaysAgo);
        return disk;
    }

    [Fact]
    public async Task A_base_an_instance_disk_is_built_on_is_never_removed()
    {
        var used = Base("image-in-use", TwoDaysAgo);
        await InstanceDiskOn(used);

        var pass = Manager().RunPass();

        Assert.True(File.Exists(used));
        Assert.Contains(used, pass.KeptInUse);
    }

    [Fact]
    public void An_old_unused_base_is_removed_with_its_info()
    {
        var unused = Base("image-unused", TwoDaysAgo);
        File.WriteAllText(unused + ".info", "{}");

        var pass = Manager().RunPass();

        Assert.False(File.Exists(unused));
        Assert.False(File.Exists(unused + ".info"));
        Assert.Contains(unused, pass.Removed);
    }

    [Fact]
    public void An_old_unused_base_whose_lock_is_held_is_kept_until_a_later_pass()
    {
        var busy = Base("image-busy", TwoDaysAgo);

        using (FileLock.Acquire(_instances.File("locks", "nova-" + ImageCache.BaseName("image-busy")), TimeSpan.FromSeconds(1)))
        {
            var pass = Manager().RunPass();
            Assert.True(File.Exists(busy));
            Assert.Empty(pass.Removed);
        }

        Assert.Contains(busy, Manager().RunPass().Removed);
        Assert.False(File.Exists(busy));
    }

    [Fact]
    public void A_young_unused_base_is_kept()
    {
        var young = Base("image-young", DateTime.UtcNow.AddHours(-23));

        var pass = Manager().RunPass();

        Assert.True(File.Exists(young));
        Assert.Contains(young, pass.KeptYoung);
    }

    [Fact]
    public void An_old_base_hard_linked_into_an_instance_directory_is_kept()
    {
        var kernel = Base("kernel-image", TwoDaysAgo);
        var instance = _instances.File(Guid.NewGuid().ToString("D"));
        Directory.CreateDirectory(instance);
        HardLink(kernel, Path.Combine(instance, "kernel"));

        var pass = Manager().RunPass();

        Assert.True(File.Exists(kernel));
        Assert.Contains(kernel, pass.KeptInUse);
    }

    private static void HardLink(string existing, string link)
    {
        // .NET has no hard-link API; ln(1) makes one as Nova's libvirt driver does for kernel and ramdisk.
        var start = new System.Diagnostics.ProcessStartInfo("ln") { ArgumentList = { existing, link } };
        using var ln = System.Diagnostics.Process.Start(start)!;
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }

    [Fact]
    public void Unused_bases_are_kept_when_removal_is_off()
    {
        var unused = Base("image-unused", TwoDaysAgo);

        var pass = new ImageCacheManager(_instances.Path, "compute1", new ImageCacheSettings { RemoveUnusedBaseImages = false }).RunPass();

        Assert.True(File.Exists(unused));
        Assert.Contains(unused, pass.KeptUnused);
    }

    [Fact]
    public void Files_it_does_not_recognise_and_young_partial_downloads_are_left_alone()
    {
        Directory.CreateDirectory(_instances.File("_base"));
        Directory.CreateDirectory(_instances.File("locks"));
        var name = ImageCache.BaseName("downloading");
        var stranger = _instances.File("_base", "notes.txt");
        var youngPart = _instances.File("_base", name + ".part");
        var oldPart = _instances.File("_base", ImageCache.BaseName("crashed") + ".part");
        var lockFile = _instances.File("locks", "nova-" + name);
        foreach (var file in new[] { stranger, youngPart, oldPart, lockFile }) File.WriteAllText(file, "x");
        File.SetLastWriteTimeUtc(stranger, TwoDaysAgo);
        File.SetLastWriteTimeUtc(lockFile, TwoDaysAgo);
        File.SetLastWriteTimeUtc(oldPart, DateTime.UtcNow.AddHours(-2));

        var pass = Manager().RunPass();

        Assert.True(File.Exists(stranger));
        Assert.True(File.Exists(youngPart));
        Assert.True(File.Exists(lockFile));
        Assert.False(File.Exists(oldPart));
        Assert.Equal([oldPart], pass.Removed);
    }

    [Fact]
    public void Compute_nodes_records_this_host_and_keeps_the_others()
    {
        File.WriteAllText(_instances.File("compute_nodes"), """{"compute2": 1700000000.5}""");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        Manager("compute1").RunPass();

        using var nodes = JsonDocument.Parse(File.ReadAllText(_instances.File("compute_nodes")));
        Assert.Equal(1700000000.5, nodes.RootElement.GetProperty("compute2").GetDouble());
        Assert.InRange(nodes.RootElement.GetProperty("compute1").GetDouble(), before - 1, before + 60);
    }

    [Fact]
    public async Task The_manager_actor_runs_a_pass_when_it_starts()
    {
        var unused = Base("image-unused", TwoDaysAgo);
        using var system = ActorSystem.Create("cache-manager-spec");
        system.ActorOf(ImageCacheManagerActor.Props(Manager(), TimeSpan.FromHours(1)));

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (File.Exists(unused) || !File.Exists(_instances.File("compute_nodes")))
        {
            Assert.True(DateTime.UtcNow < deadline, "no pass ran");
            await Task.Delay(20);
        }
        await system.Terminate();
    }
}
