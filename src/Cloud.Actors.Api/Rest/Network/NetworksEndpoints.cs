using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Networking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Cloud.Actors.Api.Rest.Network.NeutronRequest;

namespace Cloud.Actors.Api.Rest.Network;

/// <summary>
/// Neutron's networking API v2.0 over the network service: networks, subnets and ports (list with filters, show,
/// create, delete), with Neutron's tenancy (a project sees its own and shared networks and its own ports; an admin
/// everything; what a project may not see is 404) and Neutron's bodies and errors.
/// </summary>
public sealed class NetworksEndpoints(NeutronService neutron, ServiceUrls urls)
{
    public void MapVersions(IEndpointRouteBuilder app) =>
        app.MapGet("/", () => JsonBody.Write(new JsonObject
        {
            ["versions"] = new JsonArray(new JsonObject
            {
                ["id"] = "v2.0",
                ["status"] = "CURRENT",
                ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = $"{urls.Network}/v2.0/" }),
            }),
        }));

    public void Map(IEndpointRouteBuilder api)
    {
        // No API extension is offered yet (clients ask before using optional attributes such as availability zones).
        api.MapGet("/v2.0/extensions", () => JsonBody.Write(new JsonObject { ["extensions"] = new JsonArray() }));
        api.MapGet("/v2.0/extensions/{alias}", (string alias) =>
            Error(StatusCodes.Status404NotFound, "HTTPNotFound", $"Extension with alias {alias} does not exist"));
        api.MapGet("/v2.0/networks", JsonBody.Handle(ListNetworks));
        api.MapGet("/v2.0/networks/{id}", (Func<HttpContext, string, Task<IResult>>)ShowNetwork);
        api.MapPost("/v2.0/networks", JsonBody.Handle(CreateNetwork));
        api.MapDelete("/v2.0/networks/{id}", (Func<HttpContext, string, Task<IResult>>)DeleteNetwork);
        api.MapGet("/v2.0/subnets", JsonBody.Handle(ListSubnets));
        api.MapGet("/v2.0/subnets/{id}", (Func<HttpContext, string, Task<IResult>>)ShowSubnet);
        api.MapPost("/v2.0/subnets", JsonBody.Handle(CreateSubnet));
        api.MapDelete("/v2.0/subnets/{id}", (Func<HttpContext, string, Task<IResult>>)DeleteSubnet);
        api.MapGet("/v2.0/ports", JsonBody.Handle(ListPorts));
        api.MapGet("/v2.0/ports/{id}", (Func<HttpContext, string, Task<IResult>>)ShowPort);
        api.MapPost("/v2.0/ports", JsonBody.Handle(CreatePort));
        api.MapDelete("/v2.0/ports/{id}", (Func<HttpContext, string, Task<IResult>>)DeletePort);
    }

    /// <summary>Neutron's error body.</summary>
    public static IResult Error(int code, string type, string message) => JsonBody.Write(new JsonObject
    {
        ["NeutronError"] = new JsonObject { ["type"] = type, ["message"] = message, ["detail"] = "" },
    }, code);

    // ---- networks ------------------------------------------------------------------------------------------

    private async Task<IResult> ListNetworks(HttpContext http)
    {
        var ctx = http.Caller();
        var filters = Filters(http, "id", "name", "shared", "tenant_id", "project_id", "status", "admin_state_up", "router:external", "description");
        var all = await neutron.Networks(ctx);
        var views = all.Networks
            .Select(n => NetworkView(n, all.Subnets.Where(s => s.NetworkId == n.Id).Select(s => s.Id), ctx.IsAdmin))
            .Where(v => Matches(v, filters));
        return JsonBody.Write(new JsonObject { ["networks"] = new JsonArray(views.Select(v => (JsonNode)v).ToArray()) });
    }

    private async Task<IResult> ShowNetwork(HttpContext http, string id)
    {
        var ctx = http.Caller();
        var (network, subnets) = await neutron.Network(id, ctx);
        return JsonBody.Write(new JsonObject { ["network"] = NetworkView(network, subnets.Select(s => s.Id), ctx.IsAdmin) });
    }

    private async Task<IResult> CreateNetwork(HttpContext http)
    {
        var ctx = http.Caller();
        var item = Resource(await JsonBody.ReadObject(http), "network", "name", "admin_state_up", "shared", "description", "tenant_id",
            "project_id", "port_security_enabled", "mtu", "router:external", "provider:network_type", "provider:physical_network",
            "provider:segmentation_id", "availability_zone_hints", "dns_domain");
        AdminOnly(item, ctx, "create_network", "shared", "router:external", "provider:network_type", "provider:physical_network",
            "provider:segmentation_id");
        foreach (var provider in new[] { "provider:network_type", "provider:physical_network", "provider:segmentation_id" })
            if (item.ContainsKey(provider))
                throw BadRequest($"Invalid input for operation: {provider} is not supported here: every network is a VXLAN segment whose VNI the network service chooses.");
        if (Boolean(item, "router:external") == true) throw Invalid("router:external", "external networks are not supported here");
        if (Boolean(item, "port_security_enabled") == false) throw Invalid("port_security_enabled", "port security cannot be disabled here");
        if (Integer(item, "mtu") is { } mtu && mtu != 1500) throw Invalid("mtu", $"'{mtu}' is not supported here: every network has an MTU of 1500");
        if (List(item, "availability_zone_hints") is { Count: > 0 }) throw Invalid("availability_zone_hints", "availability zone hints are not supported here");
        if (String(item, "dns_domain") is { Length: > 0 }) throw Invalid("dns_domain", "DNS domains are not supported here");
        var network = new VirtualNetwork(Guid.NewGuid().ToString(), String(item, "name") ?? "", Project(item, ctx),
            Boolean(item, "shared") ?? false, Boolean(item, "admin_state_up") ?? true, String(item, "description") ?? "", DateTimeOffset.UtcNow);
        var created = await neutron.CreateNetwork(network);
        return JsonBody.Write(new JsonObject { ["network"] = NetworkView(created.Network, created.SubnetIds, ctx.IsAdmin) }, StatusCodes.Status201Created);
    }

    private async Task<IResult> DeleteNetwork(HttpContext http, string id)
    {
        await neutron.DeleteNetwork(id, http.Caller());
        return Results.NoContent();
    }

    // ---- subnets -------------------------------------------------------------------------------------------

    private async Task<IResult> ListSubnets(HttpContext http)
    {
        var filters = Filters(http, "id", "name", "network_id", "tenant_id", "project_id", "cidr", "ip_version", "gateway_ip", "enable_dhcp", "description");
        var views = (await neutron.Networks(http.Caller())).Subnets.Select(SubnetView).Where(v => Matches(v, filters));
        return JsonBody.Write(new JsonObject { ["subnets"] = new JsonArray(views.Select(v => (JsonNode)v).ToArray()) });
    }

    private async Task<IResult> ShowSubnet(HttpContext http, string id) =>
        JsonBody.Write(new JsonObject { ["subnet"] = SubnetView(await neutron.Subnet(id, http.Caller())) });

    private async Task<IResult> CreateSubnet(HttpContext http)
    {
        var ctx = http.Caller();
        var item = Resource(await JsonBody.ReadObject(http), "subnet", "name", "network_id", "cidr", "ip_version", "gateway_ip",
            "allocation_pools", "dns_nameservers", "enable_dhcp", "description", "tenant_id", "project_id", "host_routes");
        var networkId = String(item, "network_id", required: true)!;
        var cidr = String(item, "cidr", required: true)!;
        var version = Integer(item, "ip_version") ?? throw BadRequest("Failed to parse request. Required attribute 'ip_version' not specified");
        if (version != 4) throw Invalid("ip_version", version == 6 ? "IPv6 subnets are not supported here" : $"{version} is not in [4, 6]");
        var pools = new List<AllocationPool>();
        foreach (var pool in List(item, "allocation_pools") ?? [])
        {
            if (pool is not JsonObject p) throw Invalid("allocation_pools", $"'{pool?.ToJsonString()}' is not a dictionary");
            var extra = p.Select(kv => kv.Key).Where(k => k is not ("start" or "end")).ToList();
            if (extra.Count > 0) throw Invalid("allocation_pools", $"Unrecognized attribute(s) '{string.Join(", ", extra)}'");
            pools.Add(new AllocationPool(String(p, "start", required: true)!, String(p, "end", required: true)!));
        }
        var dns = (List(item, "dns_nameservers") ?? []).Select(d => d is JsonValue v && v.TryGetValue<string>(out var s)
            ? s : throw Invalid("dns_nameservers", $"'{d?.ToJsonString()}' is not a valid nameserver")).ToArray();
        if (List(item, "host_routes") is { Count: > 0 }) throw Invalid("host_routes", "host routes are not supported here");
        var gatewayGiven = item.ContainsKey("gateway_ip");
        var subnet = new Subnet(Guid.NewGuid().ToString(), String(item, "name") ?? "", networkId, Project(item, ctx), cidr,
            String(item, "gateway_ip", nullable: true), pools.ToArray(), dns, Boolean(item, "enable_dhcp") ?? true,
            String(item, "description") ?? "", DateTimeOffset.UtcNow);
        var created = await neutron.CreateSubnet(subnet, gatewayGiven, ctx);
        return JsonBody.Write(new JsonObject { ["subnet"] = SubnetView(created) }, StatusCodes.Status201Created);
    }

    private async Task<IResult> DeleteSubnet(HttpContext http, string id)
    {
        await neutron.DeleteSubnet(id, http.Caller());
        return Results.NoContent();
    }

    // ---- ports ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Ports by Neutron's filters: device_id (what <c>openstack port list --server X</c> sends), network_id, fixed_ips
    /// (<c>fixed_ips=ip_address=A</c> or <c>fixed_ips=subnet_id=S</c>), and any other attribute by equality.
    /// </summary>
    private async Task<IResult> ListPorts(HttpContext http)
    {
        var ctx = http.Caller();
        var query = http.Request.Query;
        string? ipAddress = null, subnetId = null;
        foreach (var fixedIp in query["fixed_ips"])
        {
            var kv = fixedIp?.Split('=', 2) ?? [];
            switch (kv.Length == 2 ? kv[0] : "")
            {
                case "ip_address": ipAddress = kv[1]; break;
                case "subnet_id": subnetId = kv[1]; break;
                default: throw BadRequest($"Invalid input for fixed_ips filter: '{fixedIp}' is not ip_address=<ip> or subnet_id=<id>.");
            }
        }
        var filters = Filters(http, "id", "name", "network_id", "device_id", "device_owner", "tenant_id", "project_id", "mac_address", "status",
            "admin_state_up", "description", "fixed_ips");
        filters.Remove("fixed_ips");
        var ports = await neutron.Ports(new ListPorts(ctx.IsAdmin ? null : ctx.ProjectId, query["device_id"].FirstOrDefault(),
            query["network_id"].FirstOrDefault(), query["id"].FirstOrDefault(), ipAddress, subnetId));
        var views = ports.Select(p => PortView(p, ctx)).Where(v => Matches(v, filters));
        return JsonBody.Write(new JsonObject { ["ports"] = new JsonArray(views.Select(v => (JsonNode)v).ToArray()) });
    }

    private async Task<IResult> ShowPort(HttpContext http, string id)
    {
        var ctx = http.Caller();
        return JsonBody.Write(new JsonObject { ["port"] = PortView(await neutron.Port(id, ctx), ctx) });
    }

    private async Task<IResult> CreatePort(HttpContext http)
    {
        var ctx = http.Caller();
        var item = Resource(await JsonBody.ReadObject(http), "port", "name", "network_id", "admin_state_up", "mac_address", "fixed_ips",
            "device_id", "device_owner", "description", "tenant_id", "project_id", "port_security_enabled");
        var networkId = String(item, "network_id", required: true)!;
        if (Boolean(item, "port_security_enabled") == false) throw Invalid("port_security_enabled", "port security cannot be disabled here");
        var mac = String(item, "mac_address");
        if (mac is not null && !System.Text.RegularExpressions.Regex.IsMatch(mac, "^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$"))
            throw Invalid("mac_address", $"'{mac}' is not a valid MAC address");
        var fixedIps = new List<RequestedFixedIp>();
        foreach (var ip in List(item, "fixed_ips") ?? [])
        {
            if (ip is not JsonObject f) throw Invalid("fixed_ips", $"'{ip?.ToJsonString()}' is not a dictionary");
            var extra = f.Select(kv => kv.Key).Where(k => k is not ("subnet_id" or "ip_address")).ToList();
            if (extra.Count > 0) throw Invalid("fixed_ips", $"Unrecognized attribute(s) '{string.Join(", ", extra)}'");
            var asked = new RequestedFixedIp(String(f, "subnet_id"), String(f, "ip_address"));
            if (asked is { SubnetId: null, IpAddress: null }) throw Invalid("fixed_ips", "each fixed IP needs a subnet_id or an ip_address");
            if (asked.IpAddress is not null && !Ipv4.TryParse(asked.IpAddress, out _)) throw Invalid("fixed_ips", $"'{asked.IpAddress}' is not a valid IP address");
            fixedIps.Add(asked);
        }
        var (network, _) = await neutron.Network(networkId, ctx);
        // Neutron's policy: a MAC or an address of one's choosing only on one's own network (or as admin).
        if (!ctx.IsAdmin && network.ProjectId != ctx.ProjectId && (mac is not null || fixedIps.Any(f => f.IpAddress is not null)))
            throw new NeutronException(403, "PolicyNotAuthorized", "(rule:create_port and rule:create_port:fixed_ips:ip_address) is disallowed by policy");
        var port = await neutron.CreatePort(new CreatePortRequest(Guid.NewGuid().ToString(), network.Id, Project(item, ctx), String(item, "name") ?? "",
            String(item, "device_id") ?? "", String(item, "device_owner") ?? "", fixedIps.ToArray(), mac, Boolean(item, "admin_state_up") ?? true,
            CreatedForDevice: false, DateTimeOffset.UtcNow), ctx);
        return JsonBody.Write(new JsonObject { ["port"] = PortView(port, ctx) }, StatusCodes.Status201Created);
    }

    private async Task<IResult> DeletePort(HttpContext http, string id)
    {
        await neutron.DeletePort(id, http.Caller());
        return Results.NoContent();
    }

    // ---- filters and views ---------------------------------------------------------------------------------

    /// <summary>The query's filters, each one of <paramref name="known"/> (400 otherwise, as Neutron's filter validation); "fields" is a view option.</summary>
    private static Dictionary<string, string[]> Filters(HttpContext http, params string[] known)
    {
        var filters = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, values) in http.Request.Query)
        {
            if (key == "fields") continue;
            if (!known.Contains(key)) throw BadRequest($"['{key}'] is invalid attribute for filtering");
            filters[key] = values.Where(v => v is not null).Select(v => v!).ToArray();
        }
        return filters;
    }

    /// <summary>Neutron's equality filters: any of a key's values matches; booleans and numbers compare as text.</summary>
    private static bool Matches(JsonObject view, Dictionary<string, string[]> filters) =>
        filters.All(f => view[f.Key] is { } value && f.Value.Any(wanted => string.Equals(Text(value), wanted, StringComparison.OrdinalIgnoreCase)));

    private static string Text(JsonNode value) => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A network as Neutron shows it; its segment (provider:*, the VXLAN id between hosts) only to an admin, as Neutron's policy does.</summary>
    private static JsonObject NetworkView(VirtualNetwork n, IEnumerable<string> subnetIds, bool admin)
    {
        var view = NetworkView(n, subnetIds);
        if (!admin) return view;
        view["provider:network_type"] = n.SegmentationId is null ? "local" : "vxlan";
        view["provider:physical_network"] = null;
        view["provider:segmentation_id"] = n.SegmentationId;
        return view;
    }

    private static JsonObject NetworkView(VirtualNetwork n, IEnumerable<string> subnetIds) => new()
    {
        ["id"] = n.Id,
        ["name"] = n.Name,
        ["tenant_id"] = n.ProjectId,
        ["project_id"] = n.ProjectId,
        ["admin_state_up"] = n.AdminStateUp,
        ["status"] = "ACTIVE",
        ["shared"] = n.Shared,
        ["subnets"] = new JsonArray(subnetIds.Select(s => (JsonNode)s).ToArray()),
        ["mtu"] = 1500,
        ["availability_zone_hints"] = new JsonArray(),
        ["availability_zones"] = new JsonArray("nova"),
        ["ipv4_address_scope"] = null,
        ["ipv6_address_scope"] = null,
        ["router:external"] = false,
        ["port_security_enabled"] = true,
        ["is_default"] = false,
        ["l2_adjacency"] = true,
        ["description"] = n.Description,
        ["tags"] = new JsonArray(),
        ["created_at"] = Time(n.CreatedAt),
        ["updated_at"] = Time(n.CreatedAt),
        ["revision_number"] = 1,
    };

    private static JsonObject SubnetView(Subnet s) => new()
    {
        ["id"] = s.Id,
        ["name"] = s.Name,
        ["network_id"] = s.NetworkId,
        ["tenant_id"] = s.ProjectId,
        ["project_id"] = s.ProjectId,
        ["ip_version"] = 4,
        ["cidr"] = s.Cidr,
        ["gateway_ip"] = s.GatewayIp,
        ["enable_dhcp"] = s.EnableDhcp,
        ["allocation_pools"] = new JsonArray(s.AllocationPools.Select(p => (JsonNode)new JsonObject { ["start"] = p.Start, ["end"] = p.End }).ToArray()),
        ["dns_nameservers"] = new JsonArray(s.DnsNameservers.Select(d => (JsonNode)d).ToArray()),
        ["host_routes"] = new JsonArray(),
        ["ipv6_address_mode"] = null,
        ["ipv6_ra_mode"] = null,
        ["subnetpool_id"] = null,
        ["service_types"] = new JsonArray(),
        ["segment_id"] = null,
        ["description"] = s.Description,
        ["tags"] = new JsonArray(),
        ["created_at"] = Time(s.CreatedAt),
        ["updated_at"] = Time(s.CreatedAt),
        ["revision_number"] = 0,
    };

    private static JsonObject PortView(Port p, RequestContext ctx)
    {
        var view = new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["network_id"] = p.NetworkId,
            ["tenant_id"] = p.ProjectId,
            ["project_id"] = p.ProjectId,
            ["mac_address"] = p.MacAddress,
            ["fixed_ips"] = new JsonArray(p.FixedIps.Select(ip => (JsonNode)new JsonObject { ["subnet_id"] = ip.SubnetId, ["ip_address"] = ip.IpAddress }).ToArray()),
            ["device_id"] = p.DeviceId,
            ["device_owner"] = p.DeviceOwner,
            ["status"] = p.Status,
            ["admin_state_up"] = p.AdminStateUp,
            ["allowed_address_pairs"] = new JsonArray(),
            ["extra_dhcp_opts"] = new JsonArray(),
            ["security_groups"] = new JsonArray(),
            ["port_security_enabled"] = true,
            ["binding:vnic_type"] = "normal",
            ["description"] = p.Description,
            ["tags"] = new JsonArray(),
            ["created_at"] = Time(p.CreatedAt),
            ["updated_at"] = Time(p.CreatedAt),
            ["revision_number"] = 1,
        };
        // The binding's host and details are admin-only attributes in Neutron; no host is bound here yet.
        if (ctx.IsAdmin)
        {
            view["binding:host_id"] = "";
            view["binding:profile"] = new JsonObject();
            view["binding:vif_details"] = new JsonObject();
            view["binding:vif_type"] = p.DeviceId == "" ? "unbound" : "bridge";
        }
        return view;
    }
}
