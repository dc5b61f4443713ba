using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// os-vif's OVS hybrid plug, with a Linux bridge where Neutron has br-int: per port a bridge qbrXXX (where libvirt
/// attaches the guest's tapXXX when the domain starts) joined by the veth pair qvbXXX/qvoXXX to the network's bridge
/// brqYYY, which every port of the network on this host shares (and which reaches the network's other hosts through
/// its VXLAN device: <see cref="NetworkBridges"/>). The devices are made before the domain is defined, as Nova's
/// plug_vifs does; the tap itself is libvirt's, because libvirt 9 refuses to start a bridged interface whose tap
/// already exists (measured here: "The tapXXX interface already exists").
/// <para>
/// The port's bridge and its veth end are made in the hypervisor's namespace, where libvirtd looks for the bridge;
/// the rest in this host's. They are one and the same unless this node runs in a namespace of its own on a machine
/// whose libvirtd does not (cluster.sh up --netns): then the veth pair crosses from one to the other.
/// </para>
/// <para>
/// Each port bridge carries the host and instance in its alias (<c>ip link set ... alias</c>), so a restarted host
/// finds what it plugged, and only that, even with other hosts' ports on the same machine.
/// </para>
/// No address is put on any of these devices: the host neither routes nor forwards guest traffic.
/// </summary>
public sealed class LinuxBridgeVifs(string host, NetworkBridges networks, NetNamespace? hypervisor = null) : IVifDriver
{
    private const string AliasPrefix = "cloud-actors-vif";

    /// <summary>One plumbing change at a time on this host: a network bridge is never removed while a port is being added to it.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    private readonly string _host = Uri.EscapeDataString(host);
    private readonly NetNamespace _own = networks.Namespace;
    private readonly NetNamespace _hypervisor = hypervisor ?? networks.Namespace;

    public async Task PlugAsync(Guid instanceId, IReadOnlyList<GuestNic> nics, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            foreach (var nic in nics) await PlugAsync(instanceId, nic, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task UnplugAsync(IReadOnlyList<string> portIds, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            foreach (var port in portIds) await UnplugAsync(port, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<PluggedVif>> ListAsync(CancellationToken ct = default)
    {
        var plugged = new List<PluggedVif>();
        foreach (var link in await _hypervisor.LinksAsync(ct))
        {
            if (!link.Device.StartsWith("qbr", StringComparison.Ordinal) || link.Alias is null || Parse(link.Alias) is not { } vif || vif.Host != _host) continue;
            plugged.Add(new PluggedVif(vif.Instance, vif.Port));
        }
        return plugged;
    }

    private async Task PlugAsync(Guid instanceId, GuestNic nic, CancellationToken ct)
    {
        var (network, bridge, bridgeEnd, networkEnd) = (VifNames.NetworkBridge(nic.NetworkId), VifNames.PortBridge(nic.PortId),
            VifNames.PortBridgeEnd(nic.PortId), VifNames.NetworkBridgeEnd(nic.PortId));
        // Plugged already (a restarted host, a start after a stop): nothing to run.
        if (await _hypervisor.MasterAsync(bridgeEnd, ct) == bridge && await _own.MasterAsync(networkEnd, ct) == network
            && (nic.SegmentationId is not { } vni || !networks.HasTunnel || await _own.MasterAsync(VifNames.Vxlan(vni), ct) == network)) return;
        // Another host on this machine (without --netns, one namespace) may remove an empty network bridge at any
        // moment: make it again and retry.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _hypervisor.EnsureBridge(bridge, $"{AliasPrefix} host={_host} instance={instanceId:D} port={nic.PortId} network={nic.NetworkId}", ct);
                if (!await _hypervisor.ExistsAsync(bridgeEnd, ct)) await MakeVethAsync(bridgeEnd, networkEnd, ct);
                await _hypervisor.Ip(ct, "link", "set", "dev", bridgeEnd, "master", bridge, "up");
                await networks.AttachAsync(nic.NetworkId, nic.SegmentationId, networkEnd, ct);
                return;
            }
            catch (VifException) when (attempt < 3)
            {
                if (await _own.ExistsAsync(network, ct)) throw;
            }
        }
    }

    /// <summary>The veth pair, its port bridge end in the hypervisor's namespace and its network bridge end in this host's.</summary>
    private async Task MakeVethAsync(string bridgeEnd, string networkEnd, CancellationToken ct)
    {
        if (_hypervisor == _own)
        {
            await _own.Ip(ct, "link", "add", "name", bridgeEnd, "type", "veth", "peer", "name", networkEnd);
            return;
        }
        // Made here, then the port bridge's end moves; a pair left half-way by a crash is made again.
        if (!await _own.ExistsAsync(bridgeEnd, ct))
        {
            if (await _own.ExistsAsync(networkEnd, ct)) await _own.Ip(ct, "link", "del", "dev", networkEnd);
            await _own.Ip(ct, "link", "add", "name", bridgeEnd, "type", "veth", "peer", "name", networkEnd);
        }
        await _own.Ip(ct, "link", "set", "dev", bridgeEnd, "netns", _hypervisor.Name!);
    }

    private async Task UnplugAsync(string portId, CancellationToken ct)
    {
        // The network's bridge: the one the port is on, or the one its port bridge's alias names (an unplug that
        // stopped half-way may have taken the veth pair already).
        var network = await _own.MasterAsync(VifNames.NetworkBridgeEnd(portId), ct)
                      ?? ((await _hypervisor.LinkAsync(VifNames.PortBridge(portId), ct))?.Alias is { } alias && Parse(alias)?.Network is { } id
                          ? VifNames.NetworkBridge(id)
                          : null);
        // Deleting one end of a veth pair deletes both; a tap still there (libvirt removes it with its domain) leaves with its bridge.
        if (await _hypervisor.ExistsAsync(VifNames.PortBridgeEnd(portId), ct)) await _hypervisor.Ip(ct, "link", "del", "dev", VifNames.PortBridgeEnd(portId));
        if (await _own.ExistsAsync(VifNames.NetworkBridgeEnd(portId), ct)) await _own.Ip(ct, "link", "del", "dev", VifNames.NetworkBridgeEnd(portId));
        if (await _hypervisor.ExistsAsync(VifNames.PortBridge(portId), ct)) await _hypervisor.Ip(ct, "link", "del", "dev", VifNames.PortBridge(portId));
        if (network is not null) await networks.RemoveIfUnusedAsync(network, ct);
    }

    /// <summary>"cloud-actors-vif host=H instance=I port=P [network=N]" (the network since VXLAN; older aliases lack it).</summary>
    private static (string Host, Guid Instance, string Port, string? Network)? Parse(string alias)
    {
        var parts = alias.Split(' ');
        if (parts.Length is not (4 or 5) || parts[0] != AliasPrefix) return null;
        var values = parts.Skip(1).Select(p => p.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        return values.TryGetValue("host", out var host) && values.TryGetValue("instance", out var instance) && Guid.TryParse(instance, out var id)
               && values.TryGetValue("port", out var port)
            ? (host, id, port, values.GetValueOrDefault("network"))
            : null;
    }
}
