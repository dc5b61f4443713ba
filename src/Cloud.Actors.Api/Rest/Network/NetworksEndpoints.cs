using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Network;

/// <summary>
/// The least of networking v2.0 (neutron) the clients need for <c>--nic net-id=</c>: discovery, networks list and
/// show, and their subnets. The networks are the catalog's, shared by every project.
/// </summary>
public sealed class NetworksEndpoints(NovaService nova, ServiceUrls urls)
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
        api.MapGet("/v2.0/networks", JsonBody.Handle(ListNetworks));
        api.MapGet("/v2.0/networks/{id}", ShowNetwork);
        api.MapGet("/v2.0/subnets", JsonBody.Handle(ListSubnets));
        api.MapGet("/v2.0/subnets/{id}", ShowSubnet);
    }

    private async Task<IResult> ListNetworks(HttpContext http)
    {
        IEnumerable<Domain.Catalog.Network> networks = (await nova.Catalog()).Networks;
        var query = http.Request.Query;
        if (query["name"].FirstOrDefault() is { } name) networks = networks.Where(n => n.Name == name);
        if (query["id"].FirstOrDefault() is { } id) networks = networks.Where(n => n.Id == id);
        return JsonBody.Write(new JsonObject { ["networks"] = new JsonArray(networks.Select(n => (JsonNode)NetworkView(n)).ToArray()) });
    }

    private async Task<IResult> ShowNetwork(string id)
    {
        var network = (await nova.Catalog()).Networks.FirstOrDefault(n => string.Equals(n.Id, id, StringComparison.OrdinalIgnoreCase));
        return network is null
            ? NotFound("NetworkNotFound", $"Network {id} could not be found.")
            : JsonBody.Write(new JsonObject { ["network"] = NetworkView(network) });
    }

    private async Task<IResult> ListSubnets(HttpContext http)
    {
        IEnumerable<Domain.Catalog.Network> networks = (await nova.Catalog()).Networks;
        if (http.Request.Query["network_id"].FirstOrDefault() is { } networkId) networks = networks.Where(n => n.Id == networkId);
        return JsonBody.Write(new JsonObject { ["subnets"] = new JsonArray(networks.Select(n => (JsonNode)SubnetView(n)).ToArray()) });
    }

    private async Task<IResult> ShowSubnet(string id)
    {
        var network = (await nova.Catalog()).Networks.FirstOrDefault(n => SubnetId(n) == id);
        return network is null
            ? NotFound("SubnetNotFound", $"Subnet {id} could not be found.")
            : JsonBody.Write(new JsonObject { ["subnet"] = SubnetView(network) });
    }

    private static JsonObject NetworkView(Domain.Catalog.Network n) => new()
    {
        ["id"] = n.Id,
        ["name"] = n.Name,
        ["tenant_id"] = "",
        ["project_id"] = "",
        ["admin_state_up"] = true,
        ["status"] = "ACTIVE",
        ["shared"] = true,
        ["subnets"] = new JsonArray(SubnetId(n)),
        ["mtu"] = 1500,
        ["availability_zone_hints"] = new JsonArray(),
        ["availability_zones"] = new JsonArray("nova"),
        ["router:external"] = false,
        ["port_security_enabled"] = true,
        ["description"] = "",
        ["tags"] = new JsonArray(),
        ["revision_number"] = 1,
    };

    private static JsonObject SubnetView(Domain.Catalog.Network n)
    {
        var (first, gateway, last) = Range(n.Cidr);
        return new JsonObject
        {
            ["id"] = SubnetId(n),
            ["name"] = $"{n.Name}-subnet",
            ["network_id"] = n.Id,
            ["tenant_id"] = "",
            ["project_id"] = "",
            ["ip_version"] = 4,
            ["cidr"] = n.Cidr,
            ["gateway_ip"] = gateway,
            ["enable_dhcp"] = true,
            ["allocation_pools"] = new JsonArray(new JsonObject { ["start"] = first, ["end"] = last }),
            ["dns_nameservers"] = new JsonArray(),
            ["host_routes"] = new JsonArray(),
            ["description"] = "",
            ["tags"] = new JsonArray(),
            ["revision_number"] = 0,
        };
    }

    /// <summary>One subnet per network, its id derived from the network's so it is the same on every call.</summary>
    private static string SubnetId(Domain.Catalog.Network n) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"subnet/{n.Id}"))).ToString();

    /// <summary>The gateway is .1 and fixed IPs go from .2 to the last before broadcast (Network.FirstFreeAddress's rule).</summary>
    private static (string First, string Gateway, string Last) Range(string cidr)
    {
        var slash = cidr.IndexOf('/');
        var bytes = System.Net.IPAddress.Parse(cidr[..slash]).GetAddressBytes();
        var prefix = int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = uint.MaxValue << (32 - prefix);
        var network = value & mask;
        var broadcast = network | ~mask;
        static string Text(uint v) => $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";
        return (Text(network + 2), Text(network + 1), Text(broadcast - 1));
    }

    private static IResult NotFound(string type, string message) => JsonBody.Write(new JsonObject
    {
        ["NeutronError"] = new JsonObject { ["type"] = type, ["message"] = message, ["detail"] = "" },
    }, StatusCodes.Status404NotFound);
}
