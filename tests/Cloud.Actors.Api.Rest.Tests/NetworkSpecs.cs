using System.Net;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>
/// Neutron's v2.0 API as the stock clients use it: <c>openstack network create/list/show/delete</c>, <c>openstack subnet
/// create --network N --subnet-range 10.1.0.0/16</c>, <c>openstack port list --server X</c>; tenancy between the demo and
/// alt projects (shared networks, admin-only attributes); bad input refused naming the field; and servers booted with
/// Nova's networks (several NICs, a fixed IP, a port, none), whose addresses are their ports'. Every network made here
/// is deleted again: the cloud is shared with specs that boot on "auto" (the project's only network).
/// </summary>
[Collection(RestCloudCollection.Name)]
public sealed class NetworkSpecs(RestCloud cloud)
{
    private static JsonObject NetworkBody(string name) => new() { ["network"] = new JsonObject { ["name"] = name, ["admin_state_up"] = true } };

    private static JsonObject SubnetBody(string networkId, string cidr, string name = "sub") => new()
    {
        ["subnet"] = new JsonObject { ["name"] = name, ["network_id"] = networkId, ["ip_version"] = 4, ["cidr"] = cidr },
    };

    private async Task<string> CreateNetwork(string name, string user, string? cidr = null)
    {
        var created = await cloud.Network(HttpMethod.Post, "/v2.0/networks", user, NetworkBody(name));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json!["network"]!["id"]!.GetValue<string>();
        if (cidr is not null)
            Assert.Equal(HttpStatusCode.Created, (await cloud.Network(HttpMethod.Post, "/v2.0/subnets", user, SubnetBody(id, cidr))).Status);
        return id;
    }

    private async Task Delete(string path, string user = "admin") =>
        Assert.Equal(HttpStatusCode.NoContent, (await cloud.Network(HttpMethod.Delete, path, user)).Status);

    /// <summary>
    /// What a spec left of its network when it failed half-way, removed (best effort): the cloud is shared with specs
    /// that boot on "auto", which a second network of the project would turn into 409s.
    /// </summary>
    private async Task Remove(string network)
    {
        foreach (var port in (await cloud.Network($"/v2.0/ports?network_id={network}", "admin")).Json?["ports"]?.AsArray() ?? [])
            await cloud.Network(HttpMethod.Delete, $"/v2.0/ports/{port!["id"]!.GetValue<string>()}", "admin");
        await cloud.Network(HttpMethod.Delete, $"/v2.0/networks/{network}", "admin");
    }

    private static string Error(ApiResponse response) => response.Json!["NeutronError"]!["message"]!.GetValue<string>();

    [Fact]
    public async Task A_project_creates_lists_shows_and_deletes_its_network_and_another_project_never_sees_it()
    {
        var created = await cloud.Network(HttpMethod.Post, "/v2.0/networks", "demo", NetworkBody("net-demo"));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var network = created.Json!["network"]!;
        var id = network["id"]!.GetValue<string>();
        try
        {
            Assert.Equal(("net-demo", false, "ACTIVE", "d7528db6423e4029902ab06e413dfb9c"),
                (network["name"]!.GetValue<string>(), network["shared"]!.GetValue<bool>(), network["status"]!.GetValue<string>(), network["project_id"]!.GetValue<string>()));
            var listed = (await cloud.Network("/v2.0/networks", "demo")).Json!["networks"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
            Assert.Contains(id, listed);
            Assert.Contains(RestCloud.Privada, listed);
            Assert.Single((await cloud.Network("/v2.0/networks?name=net-demo", "demo")).Json!["networks"]!.AsArray());
            Assert.Equal("net-demo", (await cloud.Network($"/v2.0/networks/{id}", "demo")).Json!["network"]!["name"]!.GetValue<string>());

            Assert.DoesNotContain((await cloud.Network("/v2.0/networks", "alt")).Json!["networks"]!.AsArray(), n => n!["id"]!.GetValue<string>() == id);
            var hidden = await cloud.Network($"/v2.0/networks/{id}", "alt");
            Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
            Assert.Equal("NetworkNotFound", hidden.Json!["NeutronError"]!["type"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.NotFound, (await cloud.Network(HttpMethod.Delete, $"/v2.0/networks/{id}", "alt")).Status);
            Assert.Equal(HttpStatusCode.OK, (await cloud.Network($"/v2.0/networks/{id}", "admin")).Status);

            await Delete($"/v2.0/networks/{id}", "demo");
            Assert.Equal(HttpStatusCode.NotFound, (await cloud.Network($"/v2.0/networks/{id}", "demo")).Status);
        }
        finally
        {
            await Remove(id);
        }
    }

    [Fact]
    public async Task A_subnet_with_subnet_range_10_1_0_0_16_gets_neutrons_gateway_and_pool_and_is_listed_on_its_network()
    {
        var network = await CreateNetwork("net-sixteen", "demo");
        try
        {

            var created = await cloud.Network(HttpMethod.Post, "/v2.0/subnets", "demo", SubnetBody(network, "10.1.0.0/16", "sixteen"));

            Assert.Equal(HttpStatusCode.Created, created.Status);
            var subnet = created.Json!["subnet"]!;
            var id = subnet["id"]!.GetValue<string>();
            Assert.Equal(("10.1.0.0/16", "10.1.0.1", 4), (subnet["cidr"]!.GetValue<string>(), subnet["gateway_ip"]!.GetValue<string>(), subnet["ip_version"]!.GetValue<int>()));
            var pool = Assert.Single(subnet["allocation_pools"]!.AsArray())!;
            Assert.Equal(("10.1.0.2", "10.1.255.254"), (pool["start"]!.GetValue<string>(), pool["end"]!.GetValue<string>()));
            Assert.Contains(id, (await cloud.Network($"/v2.0/networks/{network}", "demo")).Json!["network"]!["subnets"]!.AsArray().Select(s => s!.GetValue<string>()));
            Assert.Single((await cloud.Network($"/v2.0/subnets?network_id={network}", "demo")).Json!["subnets"]!.AsArray());
            Assert.Equal(HttpStatusCode.NotFound, (await cloud.Network($"/v2.0/subnets/{id}", "alt")).Status);
            var overlapping = await cloud.Network(HttpMethod.Post, "/v2.0/subnets", "demo", SubnetBody(network, "10.1.2.0/24"));
            Assert.Equal(HttpStatusCode.BadRequest, overlapping.Status);

            await Delete($"/v2.0/subnets/{id}", "demo");
            await Delete($"/v2.0/networks/{network}", "demo");
        }
        finally
        {
            await Remove(network);
        }
    }

    [Fact]
    public async Task Port_list_by_device_id_shows_the_servers_port_whose_address_and_mac_the_server_shows_and_it_goes_with_the_server()
    {
        var server = await cloud.ActiveServer("net-port-list", "demo");
        var shown = (await cloud.Compute(HttpMethod.Get, $"/servers/{server}", "demo")).Json!["server"]!["addresses"]!["privada"]![0]!;

        var ports = (await cloud.Network($"/v2.0/ports?device_id={server}", "demo")).Json!["ports"]!.AsArray();

        var port = Assert.Single(ports)!;
        Assert.Equal(RestCloud.Privada, port["network_id"]!.GetValue<string>());
        Assert.Equal(shown["addr"]!.GetValue<string>(), port["fixed_ips"]![0]!["ip_address"]!.GetValue<string>());
        Assert.Equal(shown["OS-EXT-IPS-MAC:mac_addr"]!.GetValue<string>(), port["mac_address"]!.GetValue<string>());
        Assert.Equal(("compute:nova", "ACTIVE"), (port["device_owner"]!.GetValue<string>(), port["status"]!.GetValue<string>()));
        Assert.Empty((await cloud.Network($"/v2.0/ports?device_id={server}", "alt")).Json!["ports"]!.AsArray());
        // The server keeps the address in its record: its port goes with it, not before.
        var portId = port["id"]!.GetValue<string>();
        var refused = await cloud.Network(HttpMethod.Delete, $"/v2.0/ports/{portId}", "demo");
        Assert.Equal((HttpStatusCode.Conflict, "PortInUse"), (refused.Status, refused.Json!["NeutronError"]!["type"]!.GetValue<string>()));
        var ip = port["fixed_ips"]![0]!["ip_address"]!.GetValue<string>();
        Assert.Single((await cloud.Network($"/v2.0/ports?fixed_ips=ip_address={ip}", "admin")).Json!["ports"]!.AsArray());
        Assert.Equal(HttpStatusCode.Conflict, (await cloud.Network(HttpMethod.Delete, $"/v2.0/networks/{RestCloud.Privada}", "admin")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await cloud.Compute(HttpMethod.Delete, $"/servers/{server}", "demo")).Status);
        await cloud.WaitForStatus(server, "DELETED");
        for (var i = 0; i < 100 && (await cloud.Network($"/v2.0/ports?device_id={server}", "admin")).Json!["ports"]!.AsArray().Count > 0; i++)
            await Task.Delay(50);
        Assert.Empty((await cloud.Network($"/v2.0/ports?device_id={server}", "admin")).Json!["ports"]!.AsArray());
    }

    [Fact]
    public async Task Shared_and_provider_attributes_are_admin_only_and_a_shared_network_is_seen_but_not_deleted_by_other_projects()
    {
        var shared = new JsonObject { ["network"] = new JsonObject { ["name"] = "net-shared", ["shared"] = true } };
        var forbidden = await cloud.Network(HttpMethod.Post, "/v2.0/networks", "demo", shared);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Contains("shared", Error(forbidden));
        var provider = new JsonObject { ["network"] = new JsonObject { ["name"] = "net-vlan", ["provider:network_type"] = "vlan" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await cloud.Network(HttpMethod.Post, "/v2.0/networks", "demo", provider)).Status);
        var otherTenant = new JsonObject { ["network"] = new JsonObject { ["name"] = "net-other", ["tenant_id"] = "a1b2c3d4e5f60718293a4b5c6d7e8f90" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Network(HttpMethod.Post, "/v2.0/networks", "demo", otherTenant)).Status);

        var created = await cloud.Network(HttpMethod.Post, "/v2.0/networks", "admin", shared);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json!["network"]!["id"]!.GetValue<string>();
        try
        {
            var seen = (await cloud.Network($"/v2.0/networks/{id}", "alt")).Json!["network"]!.AsObject();
            Assert.True(seen["shared"]!.GetValue<bool>());
            // Its segment between hosts is the admin's to see, as Neutron's policy has it.
            Assert.False(seen.ContainsKey("provider:segmentation_id"));
            var segment = (await cloud.Network($"/v2.0/networks/{id}", "admin")).Json!["network"]!;
            Assert.Equal("vxlan", segment["provider:network_type"]!.GetValue<string>());
            Assert.InRange(segment["provider:segmentation_id"]!.GetValue<int>(), 1, (1 << 24) - 1);
            Assert.Contains((await cloud.Network("/v2.0/networks?shared=true", "alt")).Json!["networks"]!.AsArray(), n => n!["id"]!.GetValue<string>() == id);
            Assert.Equal(HttpStatusCode.Forbidden, (await cloud.Network(HttpMethod.Delete, $"/v2.0/networks/{id}", "alt")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await cloud.Network(HttpMethod.Post, "/v2.0/subnets", "alt", SubnetBody(id, "10.9.0.0/24"))).Status);
        }
        finally
        {
            await Delete($"/v2.0/networks/{id}");
        }
    }

    [Theory]
    [InlineData("/v2.0/networks", """{"network": {"name": "x", "colour": "red"}}""", "colour")]
    [InlineData("/v2.0/networks", """{"network": {"name": 42}}""", "name")]
    [InlineData("/v2.0/networks", """{"network": {"admin_state_up": "maybe"}}""", "admin_state_up")]
    [InlineData("/v2.0/subnets", """{"subnet": {"network_id": "0d43e5fe-99b9-46a8-b118-58136aa805b4", "ip_version": 4, "cidr": "10.0.300.0/24"}}""", "cidr")]
    [InlineData("/v2.0/subnets", """{"subnet": {"network_id": "0d43e5fe-99b9-46a8-b118-58136aa805b4", "ip_version": 4, "cidr": "10.7.0.5/24"}}""", "cidr")]
    [InlineData("/v2.0/subnets", """{"subnet": {"network_id": "0d43e5fe-99b9-46a8-b118-58136aa805b4", "ip_version": 6, "cidr": "fd00::/64"}}""", "ip_version")]
    [InlineData("/v2.0/subnets", """{"subnet": {"ip_version": 4, "cidr": "10.7.0.0/24"}}""", "network_id")]
    [InlineData("/v2.0/subnets", """{"subnet": {"network_id": "0d43e5fe-99b9-46a8-b118-58136aa805b4", "ip_version": 4, "cidr": "10.7.0.0/24", "allocation_pools": [{"start": "10.8.0.2", "end": "10.8.0.9"}]}}""", "allocation pool")]
    [InlineData("/v2.0/ports", """{"port": {"network_id": "0d43e5fe-99b9-46a8-b118-58136aa805b4", "fixed_ips": [{"ip_address": "ten"}]}}""", "fixed_ips")]
    [InlineData("/v2.0/ports", """{"port": {"network_id": "0d43e5fe-99b9-46a8-b118-58136aa805b4", "mac_address": "fa:16:3e"}}""", "mac_address")]
    [InlineData("/v2.0/ports", """{"port": {"name": "no-network"}}""", "network_id")]
    public async Task Bad_input_is_400_naming_the_field_and_makes_nothing(string path, string json, string named)
    {
        var response = await cloud.Network(HttpMethod.Post, path, "admin", JsonNode.Parse(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(named, Error(response));
        Assert.Equal("HTTPBadRequest", response.Json!["NeutronError"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_filter_is_400_and_an_unknown_id_404()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Network("/v2.0/ports?colour=red", "demo")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Network($"/v2.0/ports/{Guid.NewGuid()}", "demo")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Network($"/v2.0/subnets/{Guid.NewGuid()}", "demo")).Status);
    }

    [Fact]
    public async Task A_port_made_by_hand_takes_the_fixed_ip_asked_for_once_and_another_project_cannot_delete_it()
    {
        var network = await CreateNetwork("net-ports", "demo", "192.168.50.0/24");
        try
        {
            var body = new JsonObject { ["port"] = new JsonObject { ["network_id"] = network, ["fixed_ips"] = new JsonArray(new JsonObject { ["ip_address"] = "192.168.50.10" }) } };

            var created = await cloud.Network(HttpMethod.Post, "/v2.0/ports", "demo", body);
            var again = await cloud.Network(HttpMethod.Post, "/v2.0/ports", "demo", JsonNode.Parse(body.ToJsonString()));

            Assert.Equal(HttpStatusCode.Created, created.Status);
            var port = created.Json!["port"]!;
            Assert.Equal("192.168.50.10", port["fixed_ips"]![0]!["ip_address"]!.GetValue<string>());
            Assert.Equal(("DOWN", ""), (port["status"]!.GetValue<string>(), port["device_id"]!.GetValue<string>()));
            Assert.Equal(HttpStatusCode.Conflict, again.Status);
            Assert.Equal("IpAddressAlreadyAllocated", again.Json!["NeutronError"]!["type"]!.GetValue<string>());
            var id = port["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.NotFound, (await cloud.Network(HttpMethod.Delete, $"/v2.0/ports/{id}", "alt")).Status);
            Assert.Equal(HttpStatusCode.Conflict, (await cloud.Network(HttpMethod.Delete, $"/v2.0/networks/{network}", "demo")).Status);

            await Delete($"/v2.0/ports/{id}", "demo");
            await Delete($"/v2.0/networks/{network}", "demo");
        }
        finally
        {
            await Remove(network);
        }
    }

    [Fact]
    public async Task A_server_takes_several_nics_a_fixed_ip_a_port_or_none_and_shows_the_addresses_of_its_ports()
    {
        var second = await CreateNetwork("net-second", "demo", "10.20.0.0/24");
        var port = (await cloud.Network(HttpMethod.Post, "/v2.0/ports", "demo",
            new JsonObject { ["port"] = new JsonObject { ["network_id"] = second, ["name"] = "given" } })).Json!["port"]!;
        var portId = port["id"]!.GetValue<string>();
        try
        {
            var body = RestCloud.BootBody("net-multi-nic");
            body["server"]!["networks"] = new JsonArray(
                new JsonObject { ["uuid"] = RestCloud.Privada },
                new JsonObject { ["uuid"] = second, ["fixed_ip"] = "10.20.0.50" },
                new JsonObject { ["port"] = portId });
            var booted = await cloud.Compute(HttpMethod.Post, "/servers", "demo", body);
            Assert.Equal(HttpStatusCode.Accepted, booted.Status);
            var server = booted.Json!["server"]!["id"]!.GetValue<string>();
            await cloud.WaitForStatus(server, "ACTIVE");

            var addresses = (await cloud.Compute(HttpMethod.Get, $"/servers/{server}", "demo")).Json!["server"]!["addresses"]!.AsObject();
            Assert.Single(addresses["privada"]!.AsArray());
            var onSecond = addresses["net-second"]!.AsArray().Select(a => a!["addr"]!.GetValue<string>()).ToList();
            Assert.Equal(2, onSecond.Count);
            Assert.Contains("10.20.0.50", onSecond);
            Assert.Contains(port["fixed_ips"]![0]!["ip_address"]!.GetValue<string>(), onSecond);
            Assert.Equal(3, (await cloud.Network($"/v2.0/ports?device_id={server}", "demo")).Json!["ports"]!.AsArray().Count);

            var none = RestCloud.BootBody("net-none");
            none["server"]!["networks"] = "none";
            var bootedNone = await cloud.Compute(HttpMethod.Post, "/servers", "demo", none, microversion: "2.37");
            Assert.Equal(HttpStatusCode.Accepted, bootedNone.Status);
            var noneId = bootedNone.Json!["server"]!["id"]!.GetValue<string>();
            await cloud.WaitForStatus(noneId, "ACTIVE");
            Assert.Empty((await cloud.Compute(HttpMethod.Get, $"/servers/{noneId}", "demo")).Json!["server"]!["addresses"]!.AsObject());

            // Nova refuses several servers for one port or one fixed IP before making anything.
            var many = RestCloud.BootBody("net-many");
            many["server"]!["min_count"] = 2;
            many["server"]!["networks"] = new JsonArray(new JsonObject { ["uuid"] = second, ["fixed_ip"] = "10.20.0.60" });
            var refusedMany = await cloud.Compute(HttpMethod.Post, "/servers", "demo", many);
            Assert.Equal(HttpStatusCode.BadRequest, refusedMany.Status);
            Assert.Contains("max_count cannot be greater than 1 if an fixed_ip is specified", refusedMany.Text);
            many["server"]!["networks"] = new JsonArray(new JsonObject { ["port"] = portId });
            Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Compute(HttpMethod.Post, "/servers", "demo", many)).Status);

            var taken = RestCloud.BootBody("net-taken");
            taken["server"]!["networks"] = new JsonArray(new JsonObject { ["uuid"] = second, ["fixed_ip"] = "10.20.0.50" });
            Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Compute(HttpMethod.Post, "/servers", "demo", taken)).Status);

            foreach (var id in new[] { server, noneId })
            {
                Assert.Equal(HttpStatusCode.NoContent, (await cloud.Compute(HttpMethod.Delete, $"/servers/{id}", "demo")).Status);
                await cloud.WaitForStatus(id, "DELETED");
            }
            // The port it was given stays, unbound; the ones made for it go.
            for (var i = 0; i < 100 && (await cloud.Network($"/v2.0/ports?network_id={second}", "demo")).Json!["ports"]!.AsArray().Count > 1; i++)
                await Task.Delay(50);
            var left = Assert.Single((await cloud.Network($"/v2.0/ports?network_id={second}", "demo")).Json!["ports"]!.AsArray())!;
            Assert.Equal((portId, ""), (left["id"]!.GetValue<string>(), left["device_id"]!.GetValue<string>()));
        }
        finally
        {
            await cloud.Network(HttpMethod.Delete, $"/v2.0/ports/{portId}", "demo");
            await Delete($"/v2.0/networks/{second}", "demo");
        }
    }
}
