using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// The libvirt domain XML of an instance, shaped like the libvirt.xml Nova writes (the seed's rdo2
/// listing). Built with System.Xml.Linq so names and paths are always escaped, never spliced into text.
/// </summary>
public static partial class DomainXml
{
    /// <summary>True when this host can run kvm domains (see <see cref="KvmProbe"/>).</summary>
    public static bool KvmAvailable() => KvmProbe.Available;

    /// <summary>kvm where a VM can be created through /dev/kvm, else qemu (TCG): a kvm domain would fail to start.</summary>
    public static DomainType DetectType() => KvmAvailable() ? DomainType.Kvm : DomainType.Qemu;

    /// <summary>The domain definition as text, as written to libvirt.xml and passed to virDomainDefineXML.</summary>
    public static string ToXml(DomainConfig config) => Build(config).ToString();

    /// <summary>The domain definition; throws <see cref="ArgumentException"/> on a config libvirt would reject or misread.</summary>
    public static XDocument Build(DomainConfig config)
    {
        Validate(config);
        return new XDocument(
            new XElement("domain", new XAttribute("type", TypeName(config.Type)),
                new XElement("uuid", config.Uuid.ToString("D")),
                new XElement("name", config.Name),
                new XElement("memory", new XAttribute("unit", "KiB"), (config.MemoryMb * 1024).ToString(CultureInfo.InvariantCulture)),
                new XElement("vcpu", config.Vcpus.ToString(CultureInfo.InvariantCulture)),
                Sysinfo(config),
                Os(config),
                Features(config),
                Clock(),
                Cpu(config),
                Devices(config)));
    }

    private static string TypeName(DomainType type) => type switch
    {
        DomainType.Kvm => "kvm",
        DomainType.Qemu => "qemu",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown domain type"),
    };

    private static XElement Sysinfo(DomainConfig config) =>
        new("sysinfo", new XAttribute("type", "smbios"),
            new XElement("system",
                Entry("manufacturer", config.Sysinfo.Manufacturer),
                Entry("product", config.Sysinfo.Product),
                Entry("version", config.Sysinfo.Version),
                Entry("serial", config.Sysinfo.Serial),
                Entry("uuid", config.Uuid.ToString("D"))),
            new XElement("chassis", Entry("asset", config.Sysinfo.ChassisAssetTag)));

    private static XElement Entry(string name, string value) => new("entry", new XAttribute("name", name), value);

    private static XElement Os(DomainConfig config)
    {
        var os = new XElement("os", new XElement("type", "hvm"));
        if (config.KernelBoot is { } boot)
        {
            os.Add(new XElement("kernel", boot.KernelPath));
            if (boot.InitrdPath is not null) os.Add(new XElement("initrd", boot.InitrdPath));
            if (boot.Cmdline is not null) os.Add(new XElement("cmdline", boot.Cmdline));
        }
        else
        {
            os.Add(new XElement("boot", new XAttribute("dev", "hd")));
        }

        // Makes the guest's SMBIOS tables come from <sysinfo>, so dmidecode shows Cloud.Actors and the instance uuid.
        os.Add(new XElement("smbios", new XAttribute("mode", "sysinfo")));
        return os;
    }

    private static XElement Features(DomainConfig config)
    {
        // acpi lets the guest hear a graceful shutdown request (virDomainShutdown); apic is what SMP guests expect.
        var features = new XElement("features", new XElement("acpi"), new XElement("apic"));
        if (config.TcgTbCacheMb is { } tbCache && config.Type == DomainType.Qemu)
        {
            features.Add(new XElement("tcg",
                new XElement("tb-cache", new XAttribute("unit", "MiB"), tbCache.ToString(CultureInfo.InvariantCulture))));
        }

        return features;
    }

    // Nova's timers: a late PIT tick is delayed rather than replayed in a burst, the RTC catches up so guest time stays right.
    private static XElement Clock() =>
        new("clock", new XAttribute("offset", "utc"),
            new XElement("timer", new XAttribute("name", "pit"), new XAttribute("tickpolicy", "delay")),
            new XElement("timer", new XAttribute("name", "rtc"), new XAttribute("tickpolicy", "catchup")));

    // host-model only means something with hardware virtualization; under TCG QEMU's default CPU model is the one that works.
    private static XElement? Cpu(DomainConfig config) =>
        config.Type == DomainType.Kvm
            ? new XElement("cpu", new XAttribute("mode", "host-model"), new XAttribute("match", "exact"))
            : null;

    private static XElement Devices(DomainConfig config)
    {
        var devices = new XElement("devices",
            new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
                // cache=none: writes go straight to the host's disk, so a host crash cannot lose what the guest saw as written.
                new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2"), new XAttribute("cache", "none")),
                new XElement("source", new XAttribute("file", config.DiskPath)),
                new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))));

        if (config.ConfigDrivePath is { } configDrive) devices.Add(ConfigDrive(configDrive, config.ConfigDriveBus));

        foreach (var nic in config.Interfaces) devices.Add(Interface(nic));

        // The first serial port (ttyS0) goes to console.log, which the console tailer follows; the pty one is for virsh console.
        devices.Add(
            new XElement("serial", new XAttribute("type", "file"), new XElement("source", new XAttribute("path", config.ConsoleLogPath))),
            new XElement("serial", new XAttribute("type", "pty")),
            // An absolute pointer keeps the VNC cursor where the viewer's is.
            new XElement("input", new XAttribute("type", "tablet"), new XAttribute("bus", "usb")),
            new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("autoport", "yes"), new XAttribute("listen", "127.0.0.1")));
        return devices;
    }

    // Nova attaches an iso9660 config drive as the last device of the CD-ROM bus: hdd on IDE, a SATA CD-ROM on q35.
    private static XElement ConfigDrive(string path, ConfigDriveBus bus)
    {
        var (dev, busName) = bus switch
        {
            ConfigDriveBus.Sata => ("sda", "sata"),
            ConfigDriveBus.Ide => ("hdd", "ide"),
            _ => throw new ArgumentOutOfRangeException(nameof(bus), bus, "unknown config drive bus"),
        };
        return new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "cdrom"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw"), new XAttribute("cache", "none")),
            new XElement("source", new XAttribute("file", path)),
            new XElement("target", new XAttribute("dev", dev), new XAttribute("bus", busName)),
            new XElement("readonly"));
    }

    private static XElement Interface(GuestInterface nic)
    {
        var element = new XElement("interface", new XAttribute("type", "bridge"),
            new XElement("mac", new XAttribute("address", nic.MacAddress)),
            new XElement("model", new XAttribute("type", "virtio")),
            new XElement("source", new XAttribute("bridge", nic.Bridge)));
        if (nic.TargetDevice is not null) element.Add(new XElement("target", new XAttribute("dev", nic.TargetDevice)));
        return element;
    }

    private static void Validate(DomainConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.Name)) throw new ArgumentException("the domain needs a name", nameof(config));
        if (config.MemoryMb <= 0) throw new ArgumentException($"memory must be positive, got {config.MemoryMb} MiB", nameof(config));
        if (config.Vcpus <= 0) throw new ArgumentException($"vcpus must be positive, got {config.Vcpus}", nameof(config));
        if (config.TcgTbCacheMb is <= 0) throw new ArgumentException($"the TCG tb-cache must be positive, got {config.TcgTbCacheMb} MiB", nameof(config));

        // libvirtd resolves a relative path against its own working directory, not ours: it would point at another file.
        RequireAbsolute(config.DiskPath, "disk");
        RequireAbsolute(config.ConsoleLogPath, "console log");
        if (config.ConfigDrivePath is not null) RequireAbsolute(config.ConfigDrivePath, "config drive");
        if (config.KernelBoot is { } boot)
        {
            RequireAbsolute(boot.KernelPath, "kernel");
            if (boot.InitrdPath is not null) RequireAbsolute(boot.InitrdPath, "initrd");
        }

        foreach (var nic in config.Interfaces)
        {
            if (!MacAddress().IsMatch(nic.MacAddress)) throw new ArgumentException($"'{nic.MacAddress}' is not a MAC address like fa:16:3e:a0:07:c9", nameof(config));
            if (string.IsNullOrWhiteSpace(nic.Bridge)) throw new ArgumentException($"the interface {nic.MacAddress} needs a bridge", nameof(config));
        }
    }

    private static void RequireAbsolute(string path, string what)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path))
            throw new ArgumentException($"the {what} path must be absolute, got '{path}'", "config");
    }

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex MacAddress();
}
