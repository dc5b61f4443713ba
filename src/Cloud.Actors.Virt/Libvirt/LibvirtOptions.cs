namespace Cloud.Actors.Virt.Libvirt;

/// <summary>Where the libvirt driver connects and where the host keeps its instances.</summary>
public sealed record LibvirtOptions
{
    /// <summary>The connection URI: qemu:///system for real guests, test:///default for fast tests.</summary>
    public string Uri { get; init; } = "qemu:///system";

    /// <summary>
    /// The host's instances directory (instances/&lt;uuid&gt;/console.log lives there); its filesystem's size is
    /// the disk the host offers.
    /// </summary>
    public string InstancesPath { get; init; } = "instances";

    /// <summary>The hypervisor_hostname the host reports; null asks libvirt (virConnectGetHostname).</summary>
    public string? Hostname { get; init; }

    /// <summary>
    /// Keepalive probe interval on remote connections (qemu:///system goes through libvirtd), so a dead daemon
    /// is noticed; zero turns probing off. Drivers that run in process (test:///) ignore it.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Unanswered probes before the connection is considered dead.</summary>
    public uint KeepAliveCount { get; init; } = 3;

    /// <summary>Nova's [libvirt] virt_type: kvm or qemu; null probes the host (<see cref="DomainXml.DetectType"/>).</summary>
    public DomainType? VirtType { get; init; }

    /// <summary>TCG translation-block cache per guest in MiB (qemu domains only); null keeps QEMU's default.</summary>
    public int? TcgTbCacheMb { get; init; }
}
