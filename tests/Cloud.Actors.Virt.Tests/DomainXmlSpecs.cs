using System.Xml.Linq;
using System.Xml.XPath;
using Cloud.Actors.Virt.Libvirt;

namespace Cloud.Actors.Virt.Tests;

public sealed class DomainXmlSpecs
{
    private const string Dir = "/var/lib/cloud-actors/instances/f69ab4d9-ed28-406e-8a78-67f62a5e4bc2";

    private static readonly DomainConfig Test2 = new()
    {
        Name = DomainConfig.NameFor(0x1c),
        Uuid = Guid.Parse("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2"),
        MemoryMb = 512,
        Vcpus = 1,
        Type = DomainType.Kvm,
        DiskPath = $"{Dir}/disk",
        ConsoleLogPath = $"{Dir}/console.log",
        Sysinfo = new GuestSysinfo("0.1.0", "e21da79e-b1eb-11de-b487-00e01884fce4"),
    };

    // Every spec reads the XML back from text, as libvirt will, not from the object tree that produced it.
    private static XDocument Parsed(DomainConfig config) => XDocument.Parse(DomainXml.ToXml(config));

    private static string? Value(XDocument xml, string xpath) => xml.XPathSelectElement(xpath)?.Value;

    private static string? Attr(XDocument xml, string xpath) =>
        ((IEnumerable<object>)xml.XPathEvaluate(xpath)).OfType<XAttribute>().SingleOrDefault()?.Value;

    [Fact]
    public void Names_the_domain_after_the_instance_number()
    {
        Assert.Equal("instance-0000001c", DomainConfig.NameFor(28));
        Assert.Equal("instance-0000001c", Value(Parsed(Test2), "/domain/name"));
        Assert.Equal("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2", Value(Parsed(Test2), "/domain/uuid"));
    }

    [Fact]
    public void Kvm_domain_has_type_kvm_and_the_host_cpu_model()
    {
        var xml = Parsed(Test2);

        Assert.Equal("kvm", Attr(xml, "/domain/@type"));
        Assert.Equal("host-model", Attr(xml, "/domain/cpu/@mode"));
    }

    [Fact]
    public void Qemu_domain_has_type_qemu_and_no_host_cpu_model()
    {
        var xml = Parsed(Test2 with { Type = DomainType.Qemu });

        Assert.Equal("qemu", Attr(xml, "/domain/@type"));
        Assert.Null(xml.XPathSelectElement("/domain/cpu"));
    }

    [Fact]
    public void Detected_type_is_qemu_where_the_kvm_probe_fails()
    {
        Assert.Equal(DomainXml.KvmAvailable() ? DomainType.Kvm : DomainType.Qemu, DomainXml.DetectType());
        if (!File.Exists(KvmProbe.Device) || !KvmProbe.CpuInfoAnnouncesVirtualization(File.ReadLines("/proc/cpuinfo")))
            Assert.Equal(DomainType.Qemu, DomainXml.DetectType());
    }

    [Theory]
    [InlineData("flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic vmx ept", true)]
    [InlineData("flags\t\t: fpu vme svm npt", true)]
    // This machine's kind: /dev/kvm is there, the CPU announces neither, and a kvm guest fails or hangs.
    [InlineData("flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep hypervisor", false)]
    [InlineData("vmx flags\t: vmx_ept", false)]
    public void Kvm_needs_the_cpu_to_announce_vt_x_or_amd_v(string cpuinfoLine, bool announces)
    {
        Assert.Equal(announces, KvmProbe.CpuInfoAnnouncesVirtualization(["processor\t: 0", cpuinfoLine]));
    }

    [Fact]
    public void Memory_is_in_KiB_and_vcpus_as_given()
    {
        var xml = Parsed(Test2 with { MemoryMb = 512, Vcpus = 2 });

        Assert.Equal("524288", Value(xml, "/domain/memory"));
        Assert.Equal("KiB", Attr(xml, "/domain/memory/@unit"));
        Assert.Equal("2", Value(xml, "/domain/vcpu"));
    }

    [Fact]
    public void Sysinfo_names_cloud_actors_and_the_instance_uuid()
    {
        var xml = Parsed(Test2);
        string? Entry(string name) => Value(xml, $"/domain/sysinfo[@type='smbios']/system/entry[@name='{name}']");

        Assert.Equal("Cloud.Actors", Entry("manufacturer"));
        Assert.Equal("Cloud.Actors", Entry("product"));
        // cloud-init's detect_openstack accepts this asset tag: images with cloud-init look for the metadata service.
        Assert.Equal("OpenStack Compute", Parsed(Test2).XPathSelectElement("/domain/sysinfo/chassis/entry[@name='asset']")?.Value);
        Assert.Equal("0.1.0", Entry("version"));
        Assert.Equal("e21da79e-b1eb-11de-b487-00e01884fce4", Entry("serial"));
        Assert.Equal("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2", Entry("uuid"));
        Assert.Equal("sysinfo", Attr(xml, "/domain/os/smbios/@mode"));
    }

    [Fact]
    public void Without_a_kernel_boots_from_the_disk()
    {
        var xml = Parsed(Test2);

        Assert.Equal("hvm", Value(xml, "/domain/os/type"));
        Assert.Equal("hd", Attr(xml, "/domain/os/boot/@dev"));
        Assert.Null(xml.XPathSelectElement("/domain/os/kernel"));
    }

    [Fact]
    public void With_a_kernel_boots_it_directly()
    {
        var xml = Parsed(Test2 with { KernelBoot = new DirectKernelBoot("/images/vmlinuz", "/images/initrd.gz", "console=ttyS0 root=/dev/vda") });

        Assert.Equal("/images/vmlinuz", Value(xml, "/domain/os/kernel"));
        Assert.Equal("/images/initrd.gz", Value(xml, "/domain/os/initrd"));
        Assert.Equal("console=ttyS0 root=/dev/vda", Value(xml, "/domain/os/cmdline"));
        Assert.Null(xml.XPathSelectElement("/domain/os/boot"));
    }

    [Fact]
    public void Has_acpi_apic_and_nova_timers()
    {
        var xml = Parsed(Test2);

        Assert.NotNull(xml.XPathSelectElement("/domain/features/acpi"));
        Assert.NotNull(xml.XPathSelectElement("/domain/features/apic"));
        Assert.Equal("utc", Attr(xml, "/domain/clock/@offset"));
        Assert.Equal("delay", Attr(xml, "/domain/clock/timer[@name='pit']/@tickpolicy"));
        Assert.Equal("catchup", Attr(xml, "/domain/clock/timer[@name='rtc']/@tickpolicy"));
    }

    [Fact]
    public void Root_disk_is_the_qcow2_overlay_on_virtio_vda()
    {
        var disk = Parsed(Test2).XPathSelectElement("/domain/devices/disk[@device='disk']")!;

        Assert.Equal("file", disk.Attribute("type")?.Value);
        Assert.Equal("qemu", disk.Element("driver")?.Attribute("name")?.Value);
        Assert.Equal("qcow2", disk.Element("driver")?.Attribute("type")?.Value);
        Assert.Equal("none", disk.Element("driver")?.Attribute("cache")?.Value);
        Assert.Equal($"{Dir}/disk", disk.Element("source")?.Attribute("file")?.Value);
        Assert.Equal("vda", disk.Element("target")?.Attribute("dev")?.Value);
        Assert.Equal("virtio", disk.Element("target")?.Attribute("bus")?.Value);
    }

    [Fact]
    public void Config_drive_is_a_readonly_raw_ide_cdrom_by_default()
    {
        var cdrom = Parsed(Test2 with { ConfigDrivePath = $"{Dir}/disk.config" }).XPathSelectElement("/domain/devices/disk[@device='cdrom']")!;

        Assert.Equal($"{Dir}/disk.config", cdrom.Element("source")?.Attribute("file")?.Value);
        Assert.Equal("raw", cdrom.Element("driver")?.Attribute("type")?.Value);
        Assert.Equal("hdd", cdrom.Element("target")?.Attribute("dev")?.Value);
        Assert.Equal("ide", cdrom.Element("target")?.Attribute("bus")?.Value);
        Assert.NotNull(cdrom.Element("readonly"));
    }

    [Fact]
    public void Config_drive_on_sata_is_sda()
    {
        var target = Parsed(Test2 with { ConfigDrivePath = $"{Dir}/disk.config", ConfigDriveBus = ConfigDriveBus.Sata })
            .XPathSelectElement("/domain/devices/disk[@device='cdrom']/target")!;

        Assert.Equal("sda", target.Attribute("dev")?.Value);
        Assert.Equal("sata", target.Attribute("bus")?.Value);
    }

    [Fact]
    public void Without_a_config_drive_has_no_cdrom()
    {
        Assert.Null(Parsed(Test2).XPathSelectElement("/domain/devices/disk[@device='cdrom']"));
    }

    [Fact]
    public void First_serial_port_writes_console_log_and_a_pty_follows()
    {
        var serials = Parsed(Test2).XPathSelectElements("/domain/devices/serial").ToList();

        Assert.Equal(2, serials.Count);
        Assert.Equal("file", serials[0].Attribute("type")?.Value);
        Assert.Equal($"{Dir}/console.log", serials[0].Element("source")?.Attribute("path")?.Value);
        Assert.Equal("pty", serials[1].Attribute("type")?.Value);
    }

    [Fact]
    public void Has_a_usb_tablet_and_vnc_on_localhost()
    {
        var xml = Parsed(Test2);

        Assert.NotNull(xml.XPathSelectElement("/domain/devices/input[@type='tablet'][@bus='usb']"));
        var vnc = xml.XPathSelectElement("/domain/devices/graphics[@type='vnc']")!;
        Assert.Equal("yes", vnc.Attribute("autoport")?.Value);
        Assert.Equal("127.0.0.1", vnc.Attribute("listen")?.Value);
    }

    [Fact]
    public void Without_interfaces_has_no_interface_element()
    {
        Assert.Empty(Parsed(Test2).XPathSelectElements("/domain/devices/interface"));
    }

    [Fact]
    public void An_interface_is_a_virtio_nic_on_its_bridge()
    {
        var nic = Parsed(Test2 with { Interfaces = [new GuestInterface("fa:16:3e:a0:07:c9", "qbrd440070c-5a", "tapd440070c-5a")] })
            .XPathSelectElement("/domain/devices/interface[@type='bridge']")!;

        Assert.Equal("fa:16:3e:a0:07:c9", nic.Element("mac")?.Attribute("address")?.Value);
        Assert.Equal("virtio", nic.Element("model")?.Attribute("type")?.Value);
        Assert.Equal("qbrd440070c-5a", nic.Element("source")?.Attribute("bridge")?.Value);
        Assert.Equal("tapd440070c-5a", nic.Element("target")?.Attribute("dev")?.Value);
    }

    [Fact]
    public void Tb_cache_is_set_for_qemu_domains_only()
    {
        var qemu = Parsed(Test2 with { Type = DomainType.Qemu, TcgTbCacheMb = 32 });
        var kvm = Parsed(Test2 with { Type = DomainType.Kvm, TcgTbCacheMb = 32 });

        Assert.Equal("32", Value(qemu, "/domain/features/tcg/tb-cache"));
        Assert.Equal("MiB", Attr(qemu, "/domain/features/tcg/tb-cache/@unit"));
        Assert.Null(kvm.XPathSelectElement("/domain/features/tcg"));
        Assert.Null(Parsed(Test2 with { Type = DomainType.Qemu }).XPathSelectElement("/domain/features/tcg"));
    }

    [Fact]
    public void Markup_characters_in_names_and_paths_round_trip()
    {
        const string tricky = "a<b>&c\"d'e";
        var config = Test2 with
        {
            Name = $"instance-{tricky}",
            DiskPath = $"/srv/{tricky}/disk",
            ConsoleLogPath = $"/srv/{tricky}/console.log",
            KernelBoot = new DirectKernelBoot($"/srv/{tricky}/vmlinuz", null, $"console=ttyS0 x={tricky}"),
            Sysinfo = Test2.Sysinfo with { Product = tricky },
        };

        var text = DomainXml.ToXml(config);
        var xml = XDocument.Parse(text);

        Assert.DoesNotContain(tricky, text);
        Assert.Equal($"instance-{tricky}", Value(xml, "/domain/name"));
        Assert.Equal($"/srv/{tricky}/disk", Attr(xml, "/domain/devices/disk/source/@file"));
        Assert.Equal($"/srv/{tricky}/console.log", Attr(xml, "/domain/devices/serial[@type='file']/source/@path"));
        Assert.Equal($"console=ttyS0 x={tricky}", Value(xml, "/domain/os/cmdline"));
        Assert.Equal(tricky, Value(xml, "/domain/sysinfo/system/entry[@name='product']"));
    }

    [Fact]
    public void Every_shape_validates_against_libvirts_domain_schema()
    {
        var validator = RequiredTool.Find("virt-xml-validate", "libvirt-clients");
        RequiredTool.Find("xmllint", "libxml2-utils");
        var full = Test2 with
        {
            Type = DomainType.Qemu,
            ConfigDrivePath = $"{Dir}/disk.config",
            KernelBoot = new DirectKernelBoot("/images/vmlinuz", "/images/initrd.gz", "console=ttyS0"),
            Interfaces = [new GuestInterface("fa:16:3e:a0:07:c9", "br0", "tap0")],
            TcgTbCacheMb = 32,
        };
        using var dir = new TempDirectory();

        foreach (var (name, config) in new[] { ("seed", Test2), ("full", full), ("ide", full with { ConfigDriveBus = ConfigDriveBus.Ide }) })
        {
            var file = dir.File($"{name}.xml");
            File.WriteAllText(file, DomainXml.ToXml(config));
            var start = new System.Diagnostics.ProcessStartInfo(validator) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(file);
            start.ArgumentList.Add("domain");
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{name}: {output}");
        }
    }

    [Fact]
    public void Relative_disk_path_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => DomainXml.Build(Test2 with { DiskPath = "instances/x/disk" }));

        Assert.Contains("absolute", error.Message);
    }

    [Fact]
    public void Malformed_mac_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => DomainXml.Build(Test2 with { Interfaces = [new GuestInterface("fa:16:3e", "br0")] }));
    }

    [Fact]
    public void Zero_memory_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => DomainXml.Build(Test2 with { MemoryMb = 0 }));
    }
}
