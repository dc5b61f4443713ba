using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Compute;

/// <summary>The NICs of an instance, one per port, in the order of its addresses (eth0 first), each with its network's VNI.</summary>
public static class InstanceNics
{
    public static IReadOnlyList<GuestNic> Of(InstanceSpec spec) =>
        spec.Ports().Select(port => new GuestNic(port.PortId, port.NetworkId, port.Mac,
            spec.Addresses.FirstOrDefault(ip => ip.NetworkId == port.NetworkId && ip.SegmentationId is not null)?.SegmentationId)).ToList();
}
