namespace Cloud.Actors.Virt.Images;

/// <summary>
/// instances/&lt;uuid&gt;/ on a compute host, laid out as Nova lays it out (the seed's rdo2 listing):
/// disk, disk.info, disk.config, libvirt.xml, console.log. Knows the paths and how the directory
/// goes away; what goes into the files is the spawn's business.
/// </summary>
public sealed class InstanceDirectory
{
    private const string DeletingSuffix = "_del";

    public InstanceDirectory(string instancesPath, Guid uuid)
    {
        InstancesPath = Path.GetFullPath(instancesPath);
        Uuid = uuid;
        FullPath = Path.Combine(InstancesPath, uuid.ToString("D"));
    }

    public string InstancesPath { get; }

    public Guid Uuid { get; }

    /// <summary>The absolute path of the directory: every path below is absolute too, as libvirt needs them.</summary>
    public string FullPath { get; }

    /// <summary>The root disk: a qcow2 overlay whose backing file is in _base.</summary>
    public string Disk => Path.Combine(FullPath, "disk");

    public string DiskInfoFile => Path.Combine(FullPath, DiskInfo.FileName);

    /// <summary>The config drive ISO.</summary>
    public string DiskConfig => Path.Combine(FullPath, "disk.config");

    /// <summary>The domain definition as defined, kept for people and for redefining after a host loses libvirt's copy.</summary>
    public string LibvirtXml => Path.Combine(FullPath, "libvirt.xml");

    public string ConsoleLog => Path.Combine(FullPath, "console.log");

    public bool Exists => Directory.Exists(FullPath);

    /// <summary>Creates the directory; an existing one is kept as it is.</summary>
    public void Create() => Directory.CreateDirectory(FullPath);

    /// <summary>Writes libvirt.xml whole: written beside it and renamed, so a crash leaves the old file or the new one.</summary>
    public void WriteLibvirtXml(string domainXml)
    {
        var partial = LibvirtXml + ".partial";
        File.WriteAllText(partial, domainXml);
        File.Move(partial, LibvirtXml, overwrite: true);
    }

    /// <summary>
    /// Removes the directory as Nova does: renamed to &lt;uuid&gt;_del first, so a crash halfway leaves a
    /// name no instance owns (finished by the next delete) instead of a half-deleted instance. Idempotent.
    /// </summary>
    public void Delete()
    {
        var deleting = FullPath + DeletingSuffix;
        if (Directory.Exists(FullPath))
        {
            if (Directory.Exists(deleting)) Directory.Delete(deleting, recursive: true);
            Directory.Move(FullPath, deleting);
        }

        if (Directory.Exists(deleting)) Directory.Delete(deleting, recursive: true);
    }
}
