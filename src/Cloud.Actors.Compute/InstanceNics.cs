using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Compute;

/// <summary>The NICs of an instance, one per port, in the order of its addresses (eth0 first).</summary>
public static class InstanceNics
{
    public static IReadOnlyList<GuestNic> Of(InstanceSpec spec) =>
        spec.Ports().Select(port => new GuestNic(port.PortId, port.NetworkId, port.Mac)).ToList();
}
