using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Tests;

public sealed class InstanceDirectorySpecs : IDisposable
{
    private static readonly Guid Uuid = Guid.Parse("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2");
    private readonly TempDirectory _instances = new();

    public void Dispose() => _instances.Dispose();

    [Fact]
    public void Files_are_named_as_nova_names_them()
    {
        var dir = new InstanceDirectory(_instances.Path, Uuid);
        var expected = Path.Combine(_instances.Path, "f69ab4d9-ed28-406e-8a78-67f62a5e4bc2");

        Assert.Equal(expected, dir.FullPath);
        Assert.Equal(Path.Combine(expected, "disk"), dir.Disk);
        Assert.Equal(Path.Combine(expected, "disk.info"), dir.DiskInfoFile);
        Assert.Equal(Path.Combine(expected, "disk.config"), dir.DiskConfig);
        Assert.Equal(Path.Combine(expected, "libvirt.xml"), dir.LibvirtXml);
        Assert.Equal(Path.Combine(expected, "console.log"), dir.ConsoleLog);
    }

    [Fact]
    public void Relative_instances_path_becomes_absolute()
    {
        Assert.True(Path.IsPathFullyQualified(new InstanceDirectory("instances", Uuid).Disk));
    }

    [Fact]
    public async Task Libvirt_xml_is_replaced_whole()
    {
        var dir = new InstanceDirectory(_instances.Path, Uuid);
        dir.Create();

        dir.WriteLibvirtXml("<domain type='qemu'/>");
        dir.WriteLibvirtXml("<domain type='kvm'/>");

        Assert.Equal("<domain type='kvm'/>", await File.ReadAllTextAsync(dir.LibvirtXml));
        Assert.Equal(["libvirt.xml"], Directory.GetFiles(dir.FullPath).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Delete_removes_the_directory_and_its_files()
    {
        var dir = new InstanceDirectory(_instances.Path, Uuid);
        dir.Create();
        await File.WriteAllTextAsync(dir.ConsoleLog, "login:");

        dir.Delete();

        Assert.False(dir.Exists);
        Assert.Empty(Directory.GetFileSystemEntries(_instances.Path));
    }

    [Fact]
    public void Delete_finishes_an_interrupted_delete()
    {
        var dir = new InstanceDirectory(_instances.Path, Uuid);
        Directory.CreateDirectory(dir.FullPath + "_del");
        dir.Create();

        dir.Delete();
        dir.Delete();

        Assert.Empty(Directory.GetFileSystemEntries(_instances.Path));
    }
}
