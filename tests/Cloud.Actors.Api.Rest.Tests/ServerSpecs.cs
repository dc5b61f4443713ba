using System.Net;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

[Collection(RestCloudCollection.Name)]
public sealed class ServerSpecs(RestCloud cloud)
{
    // The rows of the seed's `nova show` (admin), as fields of GET /servers/{id} at 2.1.
    private static readonly string[] SeedFields =
    [
        "OS-DCF:diskConfig", "OS-EXT-AZ:availability_zone", "OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:hypervisor_hostname",
        "OS-EXT-SRV-ATTR:instance_name", "OS-EXT-STS:power_state", "OS-EXT-STS:task_state", "OS-EXT-STS:vm_state",
        "OS-SRV-USG:launched_at", "OS-SRV-USG:terminated_at", "accessIPv4", "accessIPv6", "config_drive", "created", "flavor",
        "hostId", "id", "image", "key_name", "metadata", "name", "os-extended-volumes:volumes_attached", "progress",
        "security_groups", "status", "tenant_id", "updated", "user_id", "addresses", "links",
    ];

    [Fact]
    public async Task Create_answers_202_with_id_links_and_admin_pass_and_the_server_becomes_active()
    {
        var created = await cloud.Compute(HttpMethod.Post, "/servers", body: RestCloud.BootBody("spec-create"));
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var server = created.Json!["server"]!;
        var id = server["id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal("MANUAL", server["OS-DCF:diskConfig"]!.GetValue<string>());
        Assert.Equal(12, server["adminPass"]!.GetValue<string>().Length);
        Assert.EndsWith($"/v2.1/servers/{id}", server["links"]![0]!["href"]!.GetValue<string>());
        Assert.EndsWith($"/v2.1/servers/{id}", created.Headers["Location"]);
        await cloud.WaitForStatus(id, "ACTIVE");
    }

    [Theory]
    [InlineData("true", "True")]
    [InlineData("\"yes\"", "True")]
    [InlineData("false", "")]
    [InlineData(null, "")]
    public async Task Config_drive_is_stored_and_shown_as_Nova_shows_it(string? given, string shown)
    {
        var body = RestCloud.BootBody($"spec-drive-{shown}");
        if (given is not null) body["server"]!["config_drive"] = JsonNode.Parse(given);
        var created = await cloud.Compute(HttpMethod.Post, "/servers", body: body);
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var id = created.Json!["server"]!["id"]!.GetValue<string>();
        Assert.Equal(shown, (await cloud.Compute(HttpMethod.Get, $"/servers/{id}")).Json!["server"]!["config_drive"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await cloud.Compute(HttpMethod.Delete, $"/servers/{id}")).Status);
    }

    [Theory]
    [InlineData("\"maybe\"")]
    [InlineData("1")]
    [InlineData("[]")]
    public async Task A_config_drive_that_is_not_a_boolean_is_refused_naming_the_field(string given)
    {
        var body = RestCloud.BootBody("spec-drive-bad");
        body["server"]!["config_drive"] = JsonNode.Parse(given);
        var refused = await cloud.Compute(HttpMethod.Post, "/servers", body: body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("config_drive", refused.Text);
    }

    [Fact]
    public async Task Show_at_2_1_as_admin_has_every_field_of_the_seeds_nova_show()
    {
        var id = await cloud.ActiveServer("spec-show21");
        var shown = await cloud.Compute(HttpMethod.Get, $"/servers/{id}");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        var server = shown.Json!["server"]!.AsObject();
        Assert.All(SeedFields, f => Assert.True(server.ContainsKey(f), $"missing {f}"));
        Assert.Equal("ACTIVE", server["status"]!.GetValue<string>());
        Assert.Equal("active", server["OS-EXT-STS:vm_state"]!.GetValue<string>());
        Assert.Equal(1, server["OS-EXT-STS:power_state"]!.GetValue<int>());
        Assert.Equal("1", server["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(RestCloud.Cirros, server["image"]!["id"]!.GetValue<string>());
        Assert.StartsWith("instance-", server["OS-EXT-SRV-ATTR:instance_name"]!.GetValue<string>());
        Assert.Equal("10.0.0.", server["addresses"]!["privada"]![0]!["addr"]!.GetValue<string>()[..7]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$", server["OS-SRV-USG:launched_at"]!.GetValue<string>());
        Assert.False(server.ContainsKey("locked"));
        Assert.False(server.ContainsKey("OS-EXT-SRV-ATTR:reservation_id"));
    }

    [Fact]
    public async Task Show_at_2_93_embeds_the_flavor_and_adds_the_later_fields()
    {
        var id = await cloud.ActiveServer("spec-show293");
        var server = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}", microversion: "2.93")).Json!["server"]!.AsObject();
        Assert.Equal("m1.tiny", server["flavor"]!["original_name"]!.GetValue<string>());
        Assert.Equal(512, server["flavor"]!["ram"]!.GetValue<int>());
        foreach (var field in new[]
                 {
                     "OS-EXT-SRV-ATTR:reservation_id", "OS-EXT-SRV-ATTR:launch_index", "OS-EXT-SRV-ATTR:hostname",
                     "OS-EXT-SRV-ATTR:kernel_id", "OS-EXT-SRV-ATTR:ramdisk_id", "OS-EXT-SRV-ATTR:root_device_name",
                     "OS-EXT-SRV-ATTR:user_data", "host_status", "locked", "locked_reason", "description", "tags",
                     "trusted_image_certificates", "server_groups",
                 })
            Assert.True(server.ContainsKey(field), $"missing {field}");
        Assert.Equal("UP", server["host_status"]!.GetValue<string>());
        Assert.Equal("spec-show293", server["OS-EXT-SRV-ATTR:hostname"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_member_sees_no_host_attributes_but_the_hostname_from_2_90()
    {
        var id = await cloud.ActiveServer("spec-member-view", user: "demo");
        var at21 = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}", "demo")).Json!["server"]!.AsObject();
        Assert.DoesNotContain(at21, p => p.Key.StartsWith("OS-EXT-SRV-ATTR:", StringComparison.Ordinal));
        var at290 = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}", "demo", microversion: "2.90")).Json!["server"]!.AsObject();
        Assert.Equal(["OS-EXT-SRV-ATTR:hostname"], at290.Where(p => p.Key.StartsWith("OS-EXT-SRV-ATTR:", StringComparison.Ordinal)).Select(p => p.Key));
        Assert.False(at290.ContainsKey("host_status"));
    }

    [Fact]
    public async Task Show_by_name_is_404_as_in_nova_and_the_name_filter_finds_it()
    {
        var id = await cloud.ActiveServer("spec-by-name");
        var byName = await cloud.Compute(HttpMethod.Get, "/servers/spec-by-name");
        Assert.Equal(HttpStatusCode.NotFound, byName.Status);
        Assert.Equal(404, byName.Json!["itemNotFound"]!["code"]!.GetValue<int>());
        Assert.Equal("Instance spec-by-name could not be found.", byName.Json["itemNotFound"]!["message"]!.GetValue<string>());
        var filtered = await cloud.Compute(HttpMethod.Get, "/servers?name=spec-by-name");
        Assert.Equal([id], filtered.Json!["servers"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_uuid_is_404_in_novas_words()
    {
        var id = Guid.NewGuid().ToString();
        var response = await cloud.Compute(HttpMethod.Get, $"/servers/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal($"Instance {id} could not be found.", response.Json!["itemNotFound"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_gives_id_name_links_and_detail_gives_full_views()
    {
        var id = await cloud.ActiveServer("spec-list");
        var list = await cloud.Compute(HttpMethod.Get, "/servers");
        var brief = list.Json!["servers"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!.AsObject();
        Assert.Equal(["id", "links", "name"], brief.Select(p => p.Key).Order());
        var detail = await cloud.Compute(HttpMethod.Get, "/servers/detail");
        var full = detail.Json!["servers"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("ACTIVE", full["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Min_and_max_count_boot_several_named_with_their_index()
    {
        var body = RestCloud.BootBody("spec-many");
        body["server"]!["min_count"] = 2;
        body["server"]!["max_count"] = 3;
        var created = await cloud.Compute(HttpMethod.Post, "/servers", body: body);
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var names = (await cloud.Compute(HttpMethod.Get, "/servers?name=^spec-many")).Json!["servers"]!.AsArray()
            .Select(s => s!["name"]!.GetValue<string>()).Order();
        Assert.Equal(["spec-many-1", "spec-many-2", "spec-many-3"], names);
    }

    [Fact]
    public async Task Update_renames_the_server_and_answers_its_view()
    {
        var id = await cloud.ActiveServer("spec-rename", "demo");
        var body = new JsonObject { ["server"] = new JsonObject { ["name"] = "spec-renamed" } };
        var updated = await cloud.Compute(HttpMethod.Put, $"/servers/{id}", "demo", body);
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("spec-renamed", updated.Json!["server"]!["name"]!.GetValue<string>());
        Assert.Equal("ACTIVE", updated.Json["server"]!["status"]!.GetValue<string>());
        var shown = await cloud.Compute(HttpMethod.Get, $"/servers/{id}", "demo");
        Assert.Equal("spec-renamed", shown.Json!["server"]!["name"]!.GetValue<string>());
        // Up to 2.74 Nova answers without the extensions' fields (Tempest's schema refuses them); from 2.75 the full view.
        var server = updated.Json["server"]!.AsObject();
        Assert.DoesNotContain(server, kv => kv.Key.StartsWith("OS-EXT-", StringComparison.Ordinal) || kv.Key is "key_name" or "config_drive" or "security_groups");
        Assert.Null(server["addresses"]!["privada"]![0]!["OS-EXT-IPS-MAC:mac_addr"]);
        var full = await cloud.Compute(HttpMethod.Put, $"/servers/{id}", "demo", body, microversion: "2.75");
        var fullServer = full.Json!["server"]!.AsObject();
        Assert.Equal("active", fullServer["OS-EXT-STS:vm_state"]!.GetValue<string>());
        Assert.True(fullServer.ContainsKey("key_name") && fullServer.ContainsKey("OS-EXT-AZ:availability_zone"));
    }

    [Theory]
    [InlineData("{\"server\": {\"name\": \" padded \"}}", "name")]
    [InlineData("{\"server\": {\"name\": 7}}", "name")]
    [InlineData("{\"server\": {\"accessIPv4\": \"999.1.1.1\"}}", "accessIPv4")]
    [InlineData("{\"server\": {\"colour\": \"red\"}}", "server")]
    public async Task An_update_with_a_bad_name_or_an_unkept_field_is_400_and_changes_nothing(string json, string named)
    {
        var id = await cloud.ActiveServer("spec-rename-bad", "demo");
        var updated = await cloud.Compute(HttpMethod.Put, $"/servers/{id}", "demo", JsonNode.Parse(json));
        Assert.Equal(HttpStatusCode.BadRequest, updated.Status);
        Assert.Contains(named, updated.Json!["badRequest"]!["message"]!.GetValue<string>());
        var shown = await cloud.Compute(HttpMethod.Get, $"/servers/{id}", "demo");
        Assert.Equal("spec-rename-bad", shown.Json!["server"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_member_cannot_rename_another_projects_server()
    {
        var id = await cloud.ActiveServer("spec-rename-other", "admin");
        var body = new JsonObject { ["server"] = new JsonObject { ["name"] = "stolen" } };
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Put, $"/servers/{id}", "demo", body)).Status);
    }

    [Fact]
    public async Task Delete_answers_204_and_the_server_goes_away()
    {
        var id = await cloud.ActiveServer("spec-delete");
        var deleted = await cloud.Compute(HttpMethod.Delete, $"/servers/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        await cloud.WaitForStatus(id, "DELETED");
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Delete, $"/servers/{id}")).Status);
    }

    [Fact]
    public async Task From_2_37_networks_is_required_and_auto_picks_the_only_network()
    {
        var body = RestCloud.BootBody("spec-auto");
        body["server"]!.AsObject().Remove("networks");
        var missing = await cloud.Compute(HttpMethod.Post, "/servers", body: body, microversion: "2.37");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("networks", missing.Json!["badRequest"]!["message"]!.GetValue<string>());
        body["server"]!["networks"] = "auto";
        var auto = await cloud.Compute(HttpMethod.Post, "/servers", body: body, microversion: "2.37");
        Assert.Equal(HttpStatusCode.Accepted, auto.Status);
    }

    [Fact]
    public async Task Unknown_image_flavor_or_network_is_400_and_creates_nothing()
    {
        foreach (var (field, value) in new[] { ("imageRef", "no-such-image"), ("flavorRef", "99") })
        {
            var body = RestCloud.BootBody("spec-bad-ref");
            body["server"]![field] = value;
            var response = await cloud.Compute(HttpMethod.Post, "/servers", body: body);
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Contains(value, response.Json!["badRequest"]!["message"]!.GetValue<string>());
        }
        var badNet = RestCloud.BootBody("spec-bad-ref");
        badNet["server"]!["networks"] = new JsonArray(new JsonObject { ["uuid"] = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Compute(HttpMethod.Post, "/servers", body: badNet)).Status);
        var list = await cloud.Compute(HttpMethod.Get, "/servers?name=spec-bad-ref");
        Assert.Empty(list.Json!["servers"]!.AsArray());
    }
}
