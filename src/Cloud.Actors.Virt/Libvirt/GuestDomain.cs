using System.Reflection;
using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// Turns the guest a spawn asks for into the domain configuration of this host (Nova's _get_guest_config): the
/// flavor's size, the files the spawn prepared, the host's virt type and SMBIOS identity.
/// </summary>
public sealed class GuestDomain(LibvirtOptions options)
{
    private readonly DomainType _type = options.VirtType ?? DomainXml.DetectType();
    private readonly GuestSysinfo _sysinfo = new(ProductVersion(), HostSerial());

    /// <summary>The domain type this host's guests get.</summary>
    public DomainType Type => _type;

    public DomainConfig ConfigFor(GuestDefinition guest)
    {
        var disks = guest.Disks ?? throw new ArgumentException(
            $"guest '{guest.Name}' has no disks: the libvirt driver defines guests from the files their spawn prepared", nameof(guest));
        return new DomainConfig
        {
            Name = guest.Name,
            Uuid = guest.Uuid,
            MemoryMb = guest.MemoryMb,
            Vcpus = guest.Vcpus,
            Type = _type,
            DiskPath = disks.DiskPath,
            ConfigDrivePath = disks.ConfigDrivePath,
            ConsoleLogPath = disks.ConsoleLogPath,
            KernelBoot = disks.KernelBoot,
            // Nova's bridge interface of a hybrid-plugged port: libvirt makes the tap and attaches it to the port's bridge.
            Interfaces = (guest.Nics ?? [])
                .Select(nic => new GuestInterface(nic.MacAddress, VifNames.PortBridge(nic.PortId), VifNames.Tap(nic.PortId)))
                .ToList(),
            Sysinfo = _sysinfo,
            TcgTbCacheMb = _type == DomainType.Qemu ? options.TcgTbCacheMb : null,
        };
    }

    /// <summary>The domain XML of <paramref name="guest"/>, as LibvirtHypervisor defines it.</summary>
    public string XmlFor(GuestDefinition guest) => DomainXml.ToXml(ConfigFor(guest));

    private static string ProductVersion() =>
        typeof(GuestDomain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>Nova's sysinfo_serial=unique: the host's machine id as a uuid, the same for every guest of the host.</summary>
    private static string HostSerial()
    {
        try
        {
            var id = File.ReadAllText("/etc/machine-id").Trim();
            if (Guid.TryParseExact(id, "N", out var serial)) return serial.ToString("D");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Guid.Empty.ToString("D");
    }
}
