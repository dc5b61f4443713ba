using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Compute;

/// <summary>The NICs of an instance, one per port, in the order of its addresses (eth0 first).</summary>
public static class InstanceNics
{
    public static IReadOnlyList<GuestNic> Of(InstanceSpec spec) =>
        spec.Addresses
            .Select((ip, index) => new GuestNic(ip.PortId ?? PortIds.ForInstance(spec.Id, index), ip.NetworkId, ip.Mac.ToLowerInvariant()))
            .DistinctBy(nic => nic.PortId)
            .ToList();
}
