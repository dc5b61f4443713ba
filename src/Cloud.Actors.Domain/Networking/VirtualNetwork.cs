namespace Cloud.Actors.Domain.Networking;

/// <summary>
/// A Neutron network: a layer-2 segment owned by a project; <paramref name="Shared"/> ones are seen (and booted on) by
/// every project. Its subnets are <see cref="Subnet"/>s naming it.
/// </summary>
public sealed record VirtualNetwork(
    string Id,
    string Name,
    string ProjectId,
    bool Shared,
    bool AdminStateUp,
    string Description,
    DateTimeOffset CreatedAt)
{
    /// <summary>The seed's network (the catalog's <c>privada</c>), shared by every project.</summary>
    public static VirtualNetwork Privada(DateTimeOffset at) =>
        new(Catalog.Network.Privada.Id, Catalog.Network.Privada.Name, "", true, true, "", at);

    public bool VisibleTo(string? projectId) => projectId is null || Shared || ProjectId == projectId;
}
