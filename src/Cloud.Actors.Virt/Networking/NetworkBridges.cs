using System.Globalization;
using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// The networks' bridges of this host (Neutron's linuxbridge agent: brq…, one per network with ports here) and, when
/// the host has a <see cref="VxlanTunnel"/>, each one's VXLAN device vxlan-&lt;VNI&gt; in it: so a network's bridges on
/// every host are one layer-2 segment, whose frames travel in UDP between the hosts' addresses. Without a tunnel
/// (every node on one machine and in one namespace) a network is the bridge alone.
/// <para>One per node, shared by the compute host and the DHCP agent: a bridge is made and a device attached to it,
/// or an unused bridge removed, one at a time, so no bridge goes between another caller's making and attaching.</para>
/// <para>The VXLAN device is made with the guests' MTU (1500): an underlay too small for it is refused when the device
/// is made, naming the underlay device, rather than losing large frames later one at a time.</para>
/// </summary>
public sealed class NetworkBridges(NetNamespace ns, VxlanTunnel? tunnel)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _underlay;

    public NetNamespace Namespace => ns;

    /// <summary>Whether this host's networks reach other hosts (it has a tunnel address).</summary>
    public bool HasTunnel => tunnel is not null;

    /// <summary>
    /// Attaches <paramref name="device"/> (a port's veth end, the DHCP server's) to its network's bridge, made first if
    /// need be, with its VXLAN device when this host has a tunnel and the network a VNI. Returns the bridge.
    /// </summary>
    public async Task<string> AttachAsync(string networkId, int? segmentationId, string device, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var bridge = await EnsureAsync(networkId, segmentationId, ct);
            if (await ns.MasterAsync(device, ct) != bridge) await ns.Ip(ct, "link", "set", "dev", device, "master", bridge, "up");
            return bridge;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes a network's bridge that no device uses any more (its VXLAN device is no user), with its VXLAN device.</summary>
    public async Task RemoveIfUnusedAsync(string bridge, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!await ns.ExistsAsync(bridge, ct)) return;
            var attached = await ns.AttachedAsync(bridge, ct);
            if (attached.Any(device => !device.StartsWith("vxlan-", StringComparison.Ordinal))) return;
            foreach (var device in attached) await ns.Ip(ct, "link", "del", "dev", device);
            if (await ns.ExistsAsync(bridge, ct)) await ns.Ip(ct, "link", "del", "dev", bridge);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> EnsureAsync(string networkId, int? segmentationId, CancellationToken ct)
    {
        var bridge = VifNames.NetworkBridge(networkId);
        await ns.EnsureBridge(bridge, alias: null, ct);
        if (tunnel is null || segmentationId is not { } vni) return bridge;
        var device = VifNames.Vxlan(vni);
        var mtu = VxlanTunnel.GuestMtu.ToString(CultureInfo.InvariantCulture);
        if (!await ns.ExistsAsync(device, ct))
        {
            var underlay = await UnderlayAsync(ct);
            await ns.Ip(ct, "link", "add", "name", device, "mtu", mtu, "type", "vxlan", "id", vni.ToString(CultureInfo.InvariantCulture),
                "local", tunnel.LocalIp, "group", tunnel.Group, "dev", underlay, "dstport", tunnel.UdpPort.ToString(CultureInfo.InvariantCulture));
        }
        // The kernel makes the device with less than asked when the underlay is too small for it (and a crash may have
        // left one so): asked again, it refuses, and the device goes.
        if ((await ns.LinkAsync(device, ct))?.Mtu != VxlanTunnel.GuestMtu)
        {
            try
            {
                await ns.Ip(ct, "link", "set", "dev", device, "mtu", mtu);
            }
            catch (VifException e)
            {
                await ns.Ip(ct, "link", "del", "dev", device);
                var underlay = await UnderlayAsync(ct);
                throw new VifException($"{device} cannot carry the guests' {VxlanTunnel.GuestMtu}-byte frames over {underlay}: its MTU must be "
                                       + $"{VxlanTunnel.GuestMtu + VxlanTunnel.Overhead} or more ({e.Message.Trim()})", e);
            }
        }
        if (await ns.MasterAsync(device, ct) != bridge) await ns.Ip(ct, "link", "set", "dev", device, "master", bridge, "up");
        return bridge;
    }

    /// <summary>The device that holds the tunnel's local address (Neutron's agent finds it the same way).</summary>
    private async Task<string> UnderlayAsync(CancellationToken ct)
    {
        if (_underlay is not null) return _underlay;
        // "2: eth0    inet 10.250.0.21/24 brd ... scope global eth0 ..."
        var line = (await ns.Ip(ct, "-o", "-4", "addr", "show", "to", tunnel!.LocalIp + "/32")).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not { Length: > 1 })
            throw new VifException($"no device of this host has the VXLAN tunnel's local address {tunnel.LocalIp} (cloud-actors.network.vxlan.local-ip)");
        return _underlay = fields[1].TrimEnd(':').Split('@')[0];
    }
}
