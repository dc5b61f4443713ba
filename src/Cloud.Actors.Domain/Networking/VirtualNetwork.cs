namespace Cloud.Actors.Domain.Networking;

/// <summary>
/// A Neutron network: a layer-2 segment owned by a project; <paramref name="Shared"/> ones are seen (and booted on) by
/// every project. Its subnets are <see cref="Subnet"/>s naming it. Between hosts it is one VXLAN segment, whose VNI
/// (Neutron's <c>provider:segmentation_id</c>) the network service gives it; null only in events older than VNIs.
/// </summary>
public sealed record VirtualNetwork(
    string Id,
    string Name,
    string ProjectId,
    bool Shared,
    bool AdminStateUp,
    string Description,
    DateTimeOffset CreatedAt,
    int? SegmentationId = null)
{
    /// <summary>The VNIs a network can have (24 bits; 0 is not used, as in Neutron's vni_ranges).</summary>
    public const int MaxSegmentationId = (1 << 24) - 1;

    /// <summary>The seed's network (the catalog's <c>privada</c>), shared by every project.</summary>
    public static VirtualNetwork Privada(DateTimeOffset at) =>
        new(Catalog.Network.Privada.Id, Catalog.Network.Privada.Name, "", true, true, "", at, SegmentationId: 1);

    public bool VisibleTo(string? projectId) => projectId is null || Shared || ProjectId == projectId;
}
