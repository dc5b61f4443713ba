namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// Everything the libvirt domain XML of one instance is built from: the instance's identity, its
/// flavor's size, and the files in its instance directory. Pure data; <see cref="DomainXml"/> turns it into XML.
/// </summary>
public sealed record DomainConfig
{
    /// <summary>instance-%08x of the cluster-wide instance number, see <see cref="NameFor"/>.</summary>
    public required string Name { get; init; }

    public required Guid Uuid { get; init; }

    public required long MemoryMb { get; init; }

    public required int Vcpus { get; init; }

    /// <summary>kvm where /dev/kvm exists, else qemu (TCG); see <see cref="DomainXml.DetectType"/>.</summary>
    public required DomainType Type { get; init; }

    /// <summary>Absolute path of the instance's root disk: the qcow2 overlay on the _base image.</summary>
    public required string DiskPath { get; init; }

    /// <summary>Absolute path of disk.config, the ISO 9660 config drive; null when the instance has none.</summary>
    public string? ConfigDrivePath { get; init; }

    /// <summary>
    /// IDE by default: the domain gets libvirt's default machine (pc, i440fx), where Nova puts the config drive on IDE,
    /// and a guest kernel without AHCI (Debian's cloud kernel has none) sees no SATA CD-ROM at all.
    /// </summary>
    public ConfigDriveBus ConfigDriveBus { get; init; } = ConfigDriveBus.Ide;

    /// <summary>Absolute path of console.log, where the guest's first serial port is written.</summary>
    public required string ConsoleLogPath { get; init; }

    /// <summary>Set when the image carries its own kernel and ramdisk; null boots from the disk.</summary>
    public DirectKernelBoot? KernelBoot { get; init; }

    /// <summary>Guest NICs, eth0 first; an instance on no network (networks: none) has none.</summary>
    public IReadOnlyList<GuestInterface> Interfaces { get; init; } = [];

    public required GuestSysinfo Sysinfo { get; init; }

    /// <summary>
    /// TCG translation-block cache in MiB; null keeps QEMU's default. A smaller cache saves ~25 MB of
    /// host RSS per guest, which matters when several TCG guests share a small host.
    /// </summary>
    public int? TcgTbCacheMb { get; init; }

    /// <summary>The libvirt domain name Nova gives an instance: instance-%08x of its number.</summary>
    public static string NameFor(long instanceNumber) => $"instance-{instanceNumber:x8}";
}

public enum DomainType
{
    /// <summary>Hardware virtualization through /dev/kvm.</summary>
    Kvm,

    /// <summary>QEMU's TCG emulation, for hosts without /dev/kvm.</summary>
    Qemu,
}

/// <summary>
/// Where the config drive's CD-ROM is attached. Nova puts it on SATA for q35 machines and on IDE for
/// the older pc machine; either way it is the read-only CD-ROM the guest finds by its label config-2.
/// </summary>
public enum ConfigDriveBus
{
    Sata,
    Ide,
}

/// <summary>Direct kernel boot: QEMU loads the kernel and initrd itself instead of a bootloader on the disk.</summary>
public sealed record DirectKernelBoot(string KernelPath, string? InitrdPath, string? Cmdline);

/// <summary>A bridged virtio NIC, as Nova's &lt;interface type='bridge'&gt;.</summary>
public sealed record GuestInterface(string MacAddress, string Bridge, string? TargetDevice = null);

/// <summary>
/// The SMBIOS system table the guest sees (dmidecode), as Nova's sysinfo. The uuid entry is always
/// the instance uuid, so it is not repeated here.
/// </summary>
public sealed record GuestSysinfo(string Version, string Serial)
{
    public string Manufacturer { get; init; } = "Cloud.Actors";
    public string Product { get; init; } = "Cloud.Actors";

    /// <summary>
    /// The chassis asset tag: one of those cloud-init's OpenStack datasource takes as an OpenStack platform (it reads
    /// the product name or this tag before it asks 169.254.169.254), so images with cloud-init find our metadata.
    /// </summary>
    public string ChassisAssetTag { get; init; } = "OpenStack Compute";
}
