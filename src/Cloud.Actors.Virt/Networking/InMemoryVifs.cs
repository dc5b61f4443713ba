using System.Collections.Concurrent;

namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// The plugging of a host whose guests have no real NICs (the fake driver, libvirt's test:///): ports are plugged
/// and unplugged in memory only, so the compute host's plumbing steps run and can be checked without devices.
/// </summary>
public sealed class InMemoryVifs : IVifDriver
{
    private readonly ConcurrentDictionary<string, PluggedVif> _plugged = new(StringComparer.Ordinal);

    public Task PlugAsync(Guid instanceId, IReadOnlyList<GuestNic> nics, CancellationToken ct = default)
    {
        foreach (var nic in nics) _plugged[nic.PortId] = new PluggedVif(instanceId, nic.PortId);
        return Task.CompletedTask;
    }

    public Task UnplugAsync(IReadOnlyList<string> portIds, CancellationToken ct = default)
    {
        foreach (var port in portIds) _plugged.TryRemove(port, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PluggedVif>> ListAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<PluggedVif>>(_plugged.Values.ToList());
}
