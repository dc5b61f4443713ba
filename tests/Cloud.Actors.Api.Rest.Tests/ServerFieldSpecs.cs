using System.Net;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>
/// Every field of POST /servers is stored and shown, or refused with a 400 naming it, as Nova's JSON Schema has it
/// for the microversion asked: the defects a probe of 367 bad inputs found (fields answered 202 and dropped).
/// </summary>
[Collection(RestCloudCollection.Name)]
public sealed class ServerFieldSpecs(RestCloud cloud)
{
    [Theory]
    [InlineData("metadata", """{"": "blank key"}""", "metadata")]
    [InlineData("metadata", "\"x\"", "metadata")]
    [InlineData("metadata", "[1]", "metadata")]
    [InlineData("metadata", """{"k": 5}""", "k")]
    [InlineData("accessIPv4", "\"999.1.1.1\"", "accessIPv4")]
    [InlineData("accessIPv6", "\"not:an:address::x\"", "accessIPv6")]
    [InlineData("adminPass", "5", "adminPass")]
    [InlineData("security_groups", "\"x\"", "security_groups")]
    [InlineData("security_groups", "[5]", "0")]
    [InlineData("user_data", "5", "user_data")]
    [InlineData("user_data", "\"not base64!\"", "user_data")]
    [InlineData("return_reservation_id", "\"maybe\"", "return_reservation_id")]
    [InlineData("colour", "\"red\"", "server")]
    [InlineData("OS-DCF:diskConfig", "\"SOMETIMES\"", "OS-DCF:diskConfig")]
    public async Task A_field_nova_refuses_is_400_naming_it_and_creates_nothing(string field, string json, string named)
    {
        var name = $"field-{Guid.NewGuid():N}"[..20];
        var body = RestCloud.BootBody(name);
        body["server"]![field] = JsonNode.Parse(json);
        var response = await cloud.Compute(HttpMethod.Post, "/servers", "demo", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains($"field/attribute {named}", response.Json!["badRequest"]!["message"]!.GetValue<string>());
        await AssertNoServer(name);
    }

    [Theory]
    [InlineData("""{"server": {"name": "x", "flavorRef": "1", "imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "networks": [{"uuid": "0d43e5fe-99b9-46a8-b118-58136aa805b4", "fixed_ip": "999.1.1.1"}]}}""", "2.1", "fixed_ip")]
    [InlineData("""{"server": {"name": "x", "flavorRef": "1", "imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "networks": [{}]}}""", "2.1", "networks")]
    [InlineData("""{"server": {"name": "x", "flavorRef": "1", "imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "networks": "auto"}, "extra": 1}""", "2.37", "Additional properties")]
    [InlineData("""{"server": {"name": "x", "flavorRef": "1", "imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "networks": [{"uuid": "0d43e5fe-99b9-46a8-b118-58136aa805b4"}], "description": "d"}}""", "2.18", "description")]
    [InlineData("""{"server": {"name": "x", "flavorRef": "1", "imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "networks": "auto", "personality": [{"path": "/etc/x", "contents": "eA=="}]}}""", "2.57", "personality")]
    [InlineData("""{"server": {"name": "x", "flavorRef": "1", "imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "networks": "auto", "tags": ["a"]}}""", "2.52", "tags")]
    [InlineData("""{"server": {"name": "x", "flavorRef": "1", "imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "networks": "auto"}, "os:scheduler_hints": {"group": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed"}}""", "2.37", "scheduler_hints")]
    public async Task A_body_nova_refuses_at_its_microversion_is_400(string json, string microversion, string named)
    {
        var response = await cloud.Compute(HttpMethod.Post, "/servers", "demo", JsonNode.Parse(json), microversion);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(named, response.Json!["badRequest"]!["message"]!.GetValue<string>());
        await AssertNoServer("x");
    }

    [Fact]
    public async Task An_unknown_availability_zone_is_400_and_forcing_a_host_is_for_admins_only()
    {
        var nowhere = RestCloud.BootBody("field-zone");
        nowhere["server"]!["availability_zone"] = "nowhere";
        var forced = RestCloud.BootBody("field-zone");
        forced["server"]!["availability_zone"] = "nova:compute99";
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Compute(HttpMethod.Post, "/servers", "demo", nowhere)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await cloud.Compute(HttpMethod.Post, "/servers", "demo", forced)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Compute(HttpMethod.Post, "/servers", "admin", forced)).Status);
        await AssertNoServer("field-zone");
    }

    [Fact]
    public async Task Metadata_access_ips_description_security_groups_and_admin_pass_are_kept_and_shown()
    {
        var body = RestCloud.BootBody("field-kept");
        var server = body["server"]!.AsObject();
        server["metadata"] = new JsonObject { ["role"] = "web", ["tier:a b"] = "1" };
        server["accessIPv4"] = "192.0.2.7";
        // Nova shows an IPv6 address in its shortest form.
        server["accessIPv6"] = "2001:0db8:0000:0000:0000:0000:0000:0007";
        server["OS-DCF:diskConfig"] = "AUTO";
        server["description"] = "el de la web";
        server["security_groups"] = new JsonArray(new JsonObject { ["name"] = "default" });
        server["adminPass"] = "s3cret-pass";
        var created = await cloud.Compute(HttpMethod.Post, "/servers", "demo", body, "2.19");
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        Assert.Equal("s3cret-pass", created.Json!["server"]!["adminPass"]!.GetValue<string>());
        var id = created.Json["server"]!["id"]!.GetValue<string>();
        await cloud.WaitForStatus(id, "ACTIVE");

        var shown = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}", "demo", microversion: "2.19")).Json!["server"]!;
        Assert.Equal("web", shown["metadata"]!["role"]!.GetValue<string>());
        Assert.Equal("1", shown["metadata"]!["tier:a b"]!.GetValue<string>());
        Assert.Equal(("192.0.2.7", "2001:db8::7"), (shown["accessIPv4"]!.GetValue<string>(), shown["accessIPv6"]!.GetValue<string>()));
        Assert.Equal("el de la web", shown["description"]!.GetValue<string>());
        Assert.Equal("default", shown["security_groups"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("AUTO", shown["OS-DCF:diskConfig"]!.GetValue<string>());

        // PUT changes the access IPs and the description, and they stay.
        var update = JsonNode.Parse("""{"server": {"accessIPv4": "192.0.2.8", "description": null}}""");
        var updated = await cloud.Compute(HttpMethod.Put, $"/servers/{id}", "demo", update, "2.19");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        var again = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}", "demo", microversion: "2.19")).Json!["server"]!;
        Assert.Equal(("192.0.2.8", null), (again["accessIPv4"]!.GetValue<string>(), again["description"]?.GetValue<string>()));
        Assert.Equal("2001:db8::7", again["accessIPv6"]!.GetValue<string>());
        await cloud.Compute(HttpMethod.Delete, $"/servers/{id}", "demo");
    }

    [Fact]
    public async Task An_unknown_security_group_is_400_and_return_reservation_id_answers_the_reservation()
    {
        var unknown = RestCloud.BootBody("field-group");
        unknown["server"]!["security_groups"] = new JsonArray(new JsonObject { ["name"] = "web" });
        var refused = await cloud.Compute(HttpMethod.Post, "/servers", "demo", unknown);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("web", refused.Json!["badRequest"]!["message"]!.GetValue<string>());
        await AssertNoServer("field-group");

        var reserved = RestCloud.BootBody("field-reserved");
        reserved["server"]!["return_reservation_id"] = true;
        var answer = await cloud.Compute(HttpMethod.Post, "/servers", "demo", reserved);
        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.StartsWith("r-", answer.Json!["reservation_id"]!.GetValue<string>());
        Assert.Null(answer.Json["server"]);
        var made = (await cloud.Compute(HttpMethod.Get, "/servers?name=^field-reserved$", "demo")).Json!["servers"]!.AsArray();
        var id = Assert.Single(made)!["id"]!.GetValue<string>();
        await cloud.WaitForStatus(id, "ACTIVE");
        await cloud.Compute(HttpMethod.Delete, $"/servers/{id}", "demo");
    }

    private async Task AssertNoServer(string name)
    {
        var list = await cloud.Compute(HttpMethod.Get, $"/servers?name=^{name}$&all_tenants=1");
        Assert.Empty(list.Json!["servers"]!.AsArray());
    }
}

/// <summary>The servers list filters and pages as Nova's does: image, flavor, ip, host (admin), changes-since, limit and marker with a next link.</summary>
[Collection(RestCloudCollection.Name)]
public sealed class ServerListSpecs(RestCloud cloud)
{
    [Fact]
    public async Task The_list_filters_by_image_flavor_ip_host_and_changes_since_and_pages_with_next_links()
    {
        var prefix = $"list-{Guid.NewGuid():N}"[..12];
        var ids = new List<string>();
        foreach (var i in new[] { 1, 2, 3 }) ids.Add(await cloud.ActiveServer($"{prefix}-{i}", "demo"));
        async Task<List<string>> Names(string query, string user = "demo")
        {
            var response = await cloud.Compute(HttpMethod.Get, $"/servers?name=^{prefix}&{query}", user);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            return response.Json!["servers"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Order().ToList();
        }

        Assert.Equal(3, (await Names($"image={RestCloud.Cirros}")).Count);
        Assert.Empty(await Names($"image={Guid.NewGuid()}"));
        Assert.Equal(3, (await Names("flavor=1")).Count);
        Assert.Empty(await Names("flavor=2"));
        var first = (await cloud.Compute(HttpMethod.Get, $"/servers/{ids[0]}", "demo")).Json!["server"]!;
        var address = first["addresses"]!.AsObject().First().Value![0]!["addr"]!.GetValue<string>();
        Assert.Equal([$"{prefix}-1"], await Names($"ip=^{address.Replace(".", "\\.")}$"));
        Assert.Empty(await Names($"changes-since={DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}"));
        Assert.Equal(3, (await Names($"changes-since={DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}")).Count);
        foreach (var invalid in new[] { "yesterday", "2011/01/01" })
            Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Compute(HttpMethod.Get, $"/servers?changes-since={invalid}", "demo")).Status);
        var hosts = (await cloud.Compute(HttpMethod.Get, $"/servers/detail?name=^{prefix}&all_tenants=1")).Json!["servers"]!.AsArray()
            .Select(s => s!["OS-EXT-SRV-ATTR:host"]!.GetValue<string>()).ToList();
        Assert.Equal(hosts.Count(h => h == hosts[0]), (await Names($"host={hosts[0]}&all_tenants=1", "admin")).Count);

        // Two at a time: the next link carries the marker, and following it gives the rest.
        var page = await cloud.Compute(HttpMethod.Get, $"/servers?name=^{prefix}&limit=2", "demo");
        Assert.Equal(2, page.Json!["servers"]!.AsArray().Count);
        var next = new Uri(page.Json["servers_links"]![0]!["href"]!.GetValue<string>());
        Assert.Contains("marker=", next.Query);
        var rest = await cloud.Compute(HttpMethod.Get, "/servers" + next.Query, "demo");
        Assert.Single(rest.Json!["servers"]!.AsArray());
        Assert.Null(rest.Json["servers_links"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Compute(HttpMethod.Get, $"/servers?marker={Guid.NewGuid()}", "demo")).Status);
        foreach (var id in ids) await cloud.Compute(HttpMethod.Delete, $"/servers/{id}", "demo");
    }
}
