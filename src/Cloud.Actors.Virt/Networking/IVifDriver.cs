namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// A guest's NIC as the host plugs it: the Neutron port, its network, its MAC and the network's VXLAN id (null: the
/// network stays on this host). The devices it needs are named after the port (see <see cref="Domain.Networking.VifNames"/>).
/// </summary>
public sealed record GuestNic(string PortId, string NetworkId, string MacAddress, int? SegmentationId = null);

/// <summary>A port plugged on this host, and the instance it was plugged for (what a host restart reconciles).</summary>
public sealed record PluggedVif(Guid InstanceId, string PortId);

/// <summary>
/// The host side of guests' NICs, as os-vif's plugins do for Nova: the devices a port needs before its guest starts,
/// and their removal when the guest goes. Every call is idempotent: plugging what is plugged, or unplugging what is
/// not, succeeds and changes nothing.
/// </summary>
public interface IVifDriver
{
    /// <summary>Makes the devices of <paramref name="nics"/> (for instance <paramref name="instanceId"/>) that do not exist yet.</summary>
    Task PlugAsync(Guid instanceId, IReadOnlyList<GuestNic> nics, CancellationToken ct = default);

    /// <summary>Removes the devices of the ports <paramref name="portIds"/>, and a network's bridge that no port uses any more.</summary>
    Task UnplugAsync(IReadOnlyList<string> portIds, CancellationToken ct = default);

    /// <summary>Every port this host has plugged, whichever instance it was for.</summary>
    Task<IReadOnlyList<PluggedVif>> ListAsync(CancellationToken ct = default);
}

/// <summary>A port's devices could not be made or removed; the message names the device and the tool's answer.</summary>
public sealed class VifException(string message, Exception? inner = null) : Exception(message, inner);
