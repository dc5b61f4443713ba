using Akka.Actor;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Api.Application;

/// <summary>A refused networking request, with Neutron's HTTP code, error type (NeutronError.type) and message.</summary>
public sealed class NeutronException(int code, string type, string message) : Exception(message)
{
    public int Code { get; } = code;
    public string Type { get; } = type;

    public static NeutronException Of(NetworkingRejected r) => new(r.Code, r.Type, r.Message);
}

/// <summary>One NIC of a boot, resolved: its network, and the port or fixed IP asked for (if any).</summary>
public sealed record ResolvedNic(VirtualNetwork Network, string? PortId, string? FixedIp);

/// <summary>
/// The networking application layer (Neutron's API over the network service) with Neutron's tenancy: a project sees
/// its own networks and the shared ones, and only its own ports; an admin sees everything. Every create carries the id
/// the caller chose, so it is asked again while unanswered (a hand-over) without making two.
/// </summary>
public sealed class NeutronService(RegisteredActor network, TimeSpan timeout)
{
    public async Task<NetworksAnswer> Networks(RequestContext ctx, bool onlyVisibleToProject = false) =>
        await network.AskIdempotent<NetworksAnswer>(new ListNetworks(ctx.IsAdmin && !onlyVisibleToProject ? null : ctx.ProjectId),
            timeout * NovaService.Attempts, NovaService.Resending);

    /// <summary>The network as <paramref name="ctx"/> may see it; 404 NetworkNotFound otherwise.</summary>
    public async Task<(VirtualNetwork Network, Subnet[] Subnets)> Network(string id, RequestContext ctx)
    {
        var all = await Networks(ctx);
        var found = all.Networks.FirstOrDefault(n => string.Equals(n.Id, id, StringComparison.OrdinalIgnoreCase))
                    ?? throw new NeutronException(404, "NetworkNotFound", $"Network {id} could not be found.");
        return (found, all.Subnets.Where(s => s.NetworkId == found.Id).ToArray());
    }

    public async Task<Subnet> Subnet(string id, RequestContext ctx) =>
        (await Networks(ctx)).Subnets.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new NeutronException(404, "SubnetNotFound", $"Subnet {id} could not be found.");

    public async Task<NetworkAnswer> CreateNetwork(VirtualNetwork created) =>
        await network.AskIdempotent<object>(new CreateNetworkRequest(created), timeout * NovaService.Attempts, NovaService.Resending) switch
        {
            NetworkAnswer answer => answer,
            var other => throw Refused(other),
        };

    /// <summary>Only its owner (or an admin) deletes a network; another project's shared one is 403, an invisible one 404.</summary>
    public async Task DeleteNetwork(string id, RequestContext ctx)
    {
        var (found, _) = await Network(id, ctx);
        if (!ctx.IsAdmin && found.ProjectId != ctx.ProjectId)
            throw new NeutronException(403, "PolicyNotAuthorized", "(rule:delete_network) is disallowed by policy");
        if (await network.Ask<object>(new DeleteNetworkRequest(found.Id), timeout) is not NetworkingDone and var other) throw Refused(other);
    }

    /// <summary>A subnet goes on a network of the caller's own (or any, for an admin); completed with Neutron's defaults.</summary>
    public async Task<Subnet> CreateSubnet(Subnet subnet, bool gatewayGiven, RequestContext ctx)
    {
        var (owner, _) = await Network(subnet.NetworkId, ctx);
        if (!ctx.IsAdmin && owner.ProjectId != ctx.ProjectId)
            throw new NeutronException(403, "PolicyNotAuthorized", "(rule:create_subnet and rule:create_subnet:network_id) is disallowed by policy");
        if (Domain.Networking.Subnet.Complete(ref subnet, gatewayGiven) is { } error) throw new NeutronException(400, "HTTPBadRequest", error);
        subnet = subnet with { NetworkId = owner.Id };
        return await network.AskIdempotent<object>(new CreateSubnetRequest(subnet), timeout * NovaService.Attempts, NovaService.Resending) switch
        {
            SubnetAnswer answer => answer.Subnet,
            var other => throw Refused(other),
        };
    }

    public async Task DeleteSubnet(string id, RequestContext ctx)
    {
        var found = await Subnet(id, ctx);
        if (!ctx.IsAdmin && found.ProjectId != ctx.ProjectId)
            throw new NeutronException(403, "PolicyNotAuthorized", "(rule:delete_subnet) is disallowed by policy");
        if (await network.Ask<object>(new DeleteSubnetRequest(found.Id), timeout) is not NetworkingDone and var other) throw Refused(other);
    }

    public async Task<IReadOnlyList<Port>> Ports(ListPorts filter) =>
        (await network.AskIdempotent<PortsAnswer>(filter, timeout * NovaService.Attempts, NovaService.Resending)).Ports;

    public async Task<Port> Port(string id, RequestContext ctx) =>
        (await Ports(new ListPorts(ctx.IsAdmin ? null : ctx.ProjectId, PortId: id))).FirstOrDefault()
        ?? throw new NeutronException(404, "PortNotFound", $"Port {id} could not be found.");

    /// <summary>A port on a network the caller sees (its own, or a shared one).</summary>
    public async Task<Port> CreatePort(CreatePortRequest request, RequestContext ctx)
    {
        var (found, _) = await Network(request.NetworkId, ctx);
        return await network.AskIdempotent<object>(request with { NetworkId = found.Id }, timeout * NovaService.Attempts, NovaService.Resending) switch
        {
            PortAnswer answer => answer.Port,
            var other => throw Refused(other),
        };
    }

    public async Task DeletePort(string id, RequestContext ctx)
    {
        var found = await Port(id, ctx);
        if (await network.Ask<object>(new DeletePortRequest(found.Id), timeout) is not NetworkingDone and var other) throw Refused(other);
    }

    // ---- what a boot needs (Nova's network API over Neutron) ---------------------------------------------------

    /// <summary>
    /// Nova's networks of a boot: none (<paramref name="nics"/> empty list), "auto" (null: the one network the project
    /// sees, 409 when there are several), or each NIC's network, port or fixed IP, checked before anything is made.
    /// </summary>
    public async Task<IReadOnlyList<ResolvedNic>> ResolveNics(IReadOnlyList<NicRequest>? nics, RequestContext ctx)
    {
        var visible = await Networks(ctx, onlyVisibleToProject: true);
        if (nics is null)
        {
            return visible.Networks.Length switch
            {
                1 => [new ResolvedNic(visible.Networks[0], null, null)],
                0 => throw new NovaException(400, "No valid networks found for the project; give networks 'none' or a network uuid."),
                _ => throw new NovaException(409, "Multiple possible networks found, use a Network ID to be more specific."),
            };
        }
        var resolved = new List<ResolvedNic>();
        foreach (var nic in nics)
        {
            if (nic.PortId is not null)
            {
                if (!Guid.TryParse(nic.PortId, out _)) throw new NovaException(400, $"Bad networks format: port uuid is not in proper format ({nic.PortId})");
                var port = (await Ports(new ListPorts(ctx.IsAdmin ? null : ctx.ProjectId, PortId: nic.PortId))).FirstOrDefault()
                           ?? throw new NovaException(400, $"Port id {nic.PortId} could not be found.");
                if (port.DeviceId != "") throw new NovaException(409, $"Port {port.Id} is still in use.");
                var portNetwork = visible.Networks.FirstOrDefault(n => n.Id == port.NetworkId)
                                  ?? (await Networks(ctx)).Networks.FirstOrDefault(n => n.Id == port.NetworkId)
                                  ?? throw new NovaException(400, $"Network {port.NetworkId} of port {port.Id} could not be found.");
                resolved.Add(new ResolvedNic(portNetwork, port.Id, null));
                continue;
            }
            if (nic.NetworkId is null || !Guid.TryParse(nic.NetworkId, out _))
                throw new NovaException(400, $"Bad networks format: network uuid is not in proper format ({nic.NetworkId})");
            if (nic.FixedIp is not null && !Ipv4.TryParse(nic.FixedIp, out _))
                throw new NovaException(400, $"Invalid fixed IP address ({nic.FixedIp})");
            var net = visible.Networks.FirstOrDefault(n => string.Equals(n.Id, nic.NetworkId, StringComparison.OrdinalIgnoreCase))
                      ?? throw new NovaException(400, $"Network {nic.NetworkId} could not be found.");
            resolved.Add(new ResolvedNic(net, null, nic.FixedIp));
        }
        return resolved;
    }

    /// <summary>
    /// The ports of instance <paramref name="instanceId"/>, one per NIC: made for it (ids from
    /// <see cref="PortIds.ForInstance"/>, so a copy of the request answers the same port) or given and bound to it.
    /// On a refusal the ports already made are released and the refusal is Nova's.
    /// </summary>
    public async Task<FixedIp[]> AllocateForInstance(Guid instanceId, IReadOnlyList<ResolvedNic> nics, string projectId, string zone, DateTimeOffset at)
    {
        var device = instanceId.ToString();
        var owner = $"compute:{zone}";
        var addresses = new List<FixedIp>();
        try
        {
            for (var index = 0; index < nics.Count; index++)
            {
                var nic = nics[index];
                object request = nic.PortId is not null
                    ? new BindPortRequest(nic.PortId, device, owner)
                    : new CreatePortRequest(PortIds.ForInstance(instanceId, index), nic.Network.Id, projectId, "", device, owner,
                        nic.FixedIp is null ? [] : [new RequestedFixedIp(null, nic.FixedIp)], null, true, CreatedForDevice: true, at);
                var port = await network.AskIdempotent<object>(request, timeout * NovaService.Attempts, NovaService.Resending) switch
                {
                    PortAnswer answer => answer.Port,
                    NetworkingRejected { Type: "IpAddressGenerationFailure" } =>
                        throw new NovaException(409, $"No fixed IP addresses available for network: {nic.Network.Id}"),
                    NetworkingRejected { Type: "IpAddressAlreadyAllocated" } =>
                        throw new NovaException(400, $"Fixed IP address {nic.FixedIp} is already in use."),
                    NetworkingRejected { Type: "InvalidIpForNetwork" } =>
                        throw new NovaException(400, $"Fixed IP address {nic.FixedIp} is not valid on network {nic.Network.Id}."),
                    NetworkingRejected { Type: "PortInUse" } => throw new NovaException(409, $"Port {nic.PortId} is still in use."),
                    NetworkingRejected r => throw new NovaException(r.Code, r.Message),
                    var other => throw new NovaException(500, $"Unexpected reply {other.GetType().Name}"),
                };
                addresses.AddRange(port.FixedIps.Select(ip => new FixedIp(port.NetworkId, nic.Network.Name, ip.IpAddress, port.MacAddress, port.Id, nic.Network.SegmentationId)));
            }
        }
        catch
        {
            await Release(instanceId);
            throw;
        }
        return addresses.ToArray();
    }

    /// <summary>The instance will not exist: its ports go (the given ones are unbound). Told, not awaited.</summary>
    public async Task Release(Guid instanceId) => (await network.Get()).Tell(new ReleaseDevicePorts([instanceId.ToString()]));

    private static NeutronException Refused(object reply) => reply switch
    {
        NetworkingRejected r => NeutronException.Of(r),
        _ => new NeutronException(500, "HTTPInternalServerError", $"Unexpected reply {reply.GetType().Name}"),
    };
}
