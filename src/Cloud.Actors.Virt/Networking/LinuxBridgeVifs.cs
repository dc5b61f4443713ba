using Cloud.Actors.Domain.Networking;
using static Cloud.Actors.Virt.Networking.IpTool;

namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// os-vif's OVS hybrid plug, with a Linux bridge where Neutron has br-int: per port a bridge qbrXXX (where libvirt
/// attaches the guest's tapXXX when the domain starts) joined by the veth pair qvbXXX/qvoXXX to the network's bridge
/// brqYYY, which every port of the network on this host shares. The devices are made before the domain is defined,
/// as Nova's plug_vifs does; the tap itself is libvirt's, because libvirt 9 refuses to start a bridged interface
/// whose tap already exists (measured here: "The tapXXX interface already exists").
/// <para>
/// Each port bridge carries the host and instance in its alias (<c>ip link set ... alias</c>), so a restarted host
/// finds what it plugged, and only that, even with other hosts' ports on the same machine.
/// </para>
/// No address is put on any of these devices: the host neither routes nor forwards guest traffic.
/// </summary>
public sealed class LinuxBridgeVifs(string host) : IVifDriver
{
    private const string AliasPrefix = "cloud-actors-vif";

    /// <summary>One plumbing change at a time on this host: a network bridge is never removed while a port is being added to it.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    private readonly string _host = Uri.EscapeDataString(host);

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

    public Task<IReadOnlyList<PluggedVif>> ListAsync(CancellationToken ct = default)
    {
        var plugged = new List<PluggedVif>();
        foreach (var device in Directory.EnumerateDirectories("/sys/class/net", "qbr*"))
        {
            var alias = ReadOrNull(Path.Combine(device, "ifalias"))?.Trim();
            if (alias is null || Parse(alias) is not { } vif || vif.Host != _host) continue;
            plugged.Add(new PluggedVif(vif.Instance, vif.Port));
        }
        return Task.FromResult<IReadOnlyList<PluggedVif>>(plugged);
    }

    private async Task PlugAsync(Guid instanceId, GuestNic nic, CancellationToken ct)
    {
        var (network, bridge, bridgeEnd, networkEnd) = (VifNames.NetworkBridge(nic.NetworkId), VifNames.PortBridge(nic.PortId),
            VifNames.PortBridgeEnd(nic.PortId), VifNames.NetworkBridgeEnd(nic.PortId));
        // Plugged already (a restarted host, a start after a stop): nothing to run.
        if (Master(bridgeEnd) == bridge && Master(networkEnd) == network) return;
        // Another host on this machine may remove an empty network bridge at any moment: make it again and retry.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureBridge(network, alias: null, ct);
                await EnsureBridge(bridge, $"{AliasPrefix} host={_host} instance={instanceId:D} port={nic.PortId}", ct);
                if (!Exists(bridgeEnd)) await Ip(ct, "link", "add", "name", bridgeEnd, "type", "veth", "peer", "name", networkEnd);
                await Ip(ct, "link", "set", "dev", bridgeEnd, "master", bridge, "up");
                await Ip(ct, "link", "set", "dev", networkEnd, "master", network, "up");
                return;
            }
            catch (VifException) when (attempt < 3 && !Exists(network))
            {
            }
        }
    }

    private async Task UnplugAsync(string portId, CancellationToken ct)
    {
        var networkEnd = VifNames.NetworkBridgeEnd(portId);
        var network = Master(networkEnd);
        // Deleting one end of a veth pair deletes both; a tap still there (libvirt removes it with its domain) leaves with its bridge.
        foreach (var device in new[] { VifNames.PortBridgeEnd(portId), networkEnd, VifNames.PortBridge(portId) })
            if (Exists(device)) await Ip(ct, "link", "del", "dev", device);
        if (network is not null && Exists(network) && IsEmptyBridge(network))
            await Ip(ct, "link", "del", "dev", network);
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static (string Host, Guid Instance, string Port)? Parse(string alias)
    {
        var parts = alias.Split(' ');
        if (parts.Length != 4 || parts[0] != AliasPrefix) return null;
        var values = parts.Skip(1).Select(p => p.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        return values.TryGetValue("host", out var host) && values.TryGetValue("instance", out var instance) && Guid.TryParse(instance, out var id)
               && values.TryGetValue("port", out var port)
            ? (host, id, port)
            : null;
    }
}
