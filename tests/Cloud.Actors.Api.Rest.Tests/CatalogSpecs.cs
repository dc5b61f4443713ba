using System.Net;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>Flavors, images, networks, hypervisors, zones and limits.</summary>
[Collection(RestCloudCollection.Name)]
public sealed class CatalogSpecs(RestCloud cloud)
{
    [Fact]
    public async Task Flavors_list_the_classic_five_and_detail_has_novas_fields()
    {
        var list = await cloud.Compute(HttpMethod.Get, "/flavors", "demo");
        Assert.Equal(["m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"],
            list.Json!["flavors"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        var detail = await cloud.Compute(HttpMethod.Get, "/flavors/detail", "demo");
        var tiny = detail.Json!["flavors"]![0]!.AsObject();
        Assert.Equal(512, tiny["ram"]!.GetValue<int>());
        Assert.Equal("", tiny["swap"]!.GetValue<string>());
        Assert.True(tiny["os-flavor-access:is_public"]!.GetValue<bool>());
        Assert.True(tiny.ContainsKey("OS-FLV-EXT-DATA:ephemeral"));
    }

    [Fact]
    public async Task Flavors_filter_by_min_disk_and_min_ram_and_page_with_next_links()
    {
        async Task<List<string>> Ids(string query) =>
            (await cloud.Compute(HttpMethod.Get, "/flavors/detail?" + query, "demo")).Json!["flavors"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).ToList();
        var all = (await cloud.Compute(HttpMethod.Get, "/flavors/detail", "demo")).Json!["flavors"]!.AsArray();
        var big = all.Where(f => f!["disk"]!.GetValue<int>() >= 40).Select(f => f!["id"]!.GetValue<string>()).ToList();
        var roomy = all.Where(f => f!["ram"]!.GetValue<int>() >= 4096).Select(f => f!["id"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(big);
        Assert.Equal(big, await Ids("minDisk=40"));
        Assert.Equal(roomy, await Ids("minRam=4096"));
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.Compute(HttpMethod.Get, "/flavors?minRam=lots", "demo")).Status);

        var first = await cloud.Compute(HttpMethod.Get, "/flavors?limit=2", "demo");
        Assert.Equal(2, first.Json!["flavors"]!.AsArray().Count);
        var next = new Uri(first.Json["flavors_links"]![0]!["href"]!.GetValue<string>());
        var second = await cloud.Compute(HttpMethod.Get, "/flavors" + next.Query, "demo");
        Assert.Equal(all[2]!["id"]!.GetValue<string>(), second.Json!["flavors"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_flavor_is_shown_by_id_and_its_name_is_404()
    {
        var shown = await cloud.Compute(HttpMethod.Get, "/flavors/1", "demo", microversion: "2.75");
        Assert.Equal("m1.tiny", shown.Json!["flavor"]!["name"]!.GetValue<string>());
        Assert.Equal(0, shown.Json["flavor"]!["swap"]!.GetValue<int>());
        var byName = await cloud.Compute(HttpMethod.Get, "/flavors/m1.tiny", "demo");
        Assert.Equal(HttpStatusCode.NotFound, byName.Status);
        Assert.Equal("Flavor m1.tiny could not be found.", byName.Json!["itemNotFound"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Glance_root_is_300_and_lists_v2()
    {
        var root = await cloud.Send(HttpMethod.Get, cloud.Server.Urls.Image + "/", null, null);
        Assert.Equal(HttpStatusCode.MultipleChoices, root.Status);
        Assert.Contains(root.Json!["versions"]!.AsArray(), v => v!["status"]!.GetValue<string>() == "CURRENT");
    }

    [Fact]
    public async Task Images_list_filter_by_name_and_show_by_id()
    {
        var list = await cloud.Image("/v2/images?name=cirros", "demo");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var cirros = list.Json!["images"]!.AsArray().Single()!;
        Assert.Equal(RestCloud.Cirros, cirros["id"]!.GetValue<string>());
        Assert.Equal("qcow2", cirros["disk_format"]!.GetValue<string>());
        var shown = await cloud.Image($"/v2/images/{RestCloud.Cirros}", "demo");
        Assert.Equal("cirros", shown.Json!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Image("/v2/images/cirros", "demo")).Status);
    }

    [Fact]
    public async Task Images_need_a_token()
    {
        var response = await cloud.Send(HttpMethod.Get, cloud.Server.Urls.Image + "/v2/images", null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Networks_list_and_show_privada_and_an_unknown_one_is_404()
    {
        var list = await cloud.Network("/v2.0/networks", "demo");
        Assert.Contains(list.Json!["networks"]!.AsArray(), n => n!["id"]!.GetValue<string>() == RestCloud.Privada);
        var shown = await cloud.Network($"/v2.0/networks/{RestCloud.Privada}", "demo");
        Assert.Equal("privada", shown.Json!["network"]!["name"]!.GetValue<string>());
        var subnet = shown.Json["network"]!["subnets"]![0]!.GetValue<string>();
        var subnetShown = await cloud.Network($"/v2.0/subnets/{subnet}", "demo");
        Assert.Equal("10.0.0.0/24", subnetShown.Json!["subnet"]!["cidr"]!.GetValue<string>());
        var missing = await cloud.Network($"/v2.0/networks/{Guid.NewGuid()}", "demo");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("NetworkNotFound", missing.Json!["NeutronError"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hypervisors_list_both_fake_hosts_for_admin()
    {
        var list = await cloud.Compute(HttpMethod.Get, "/os-hypervisors/detail");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var hosts = list.Json!["hypervisors"]!.AsArray();
        Assert.Equal(["compute1", "compute2"], hosts.Select(h => h!["service"]!["host"]!.GetValue<string>()));
        Assert.All(hosts, h => Assert.Equal("up", h!["state"]!.GetValue<string>()));
        Assert.True(hosts[0]!.AsObject().ContainsKey("vcpus"));
        var shown = await cloud.Compute(HttpMethod.Get, "/os-hypervisors/1");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        var at288 = await cloud.Compute(HttpMethod.Get, "/os-hypervisors/detail", microversion: "2.88");
        Assert.False(at288.Json!["hypervisors"]![0]!.AsObject().ContainsKey("vcpus"));
        Assert.True(Guid.TryParse(at288.Json["hypervisors"]![0]!["id"]!.GetValue<string>(), out _));
        // cpu_info: a JSON string up to 2.27, an object from 2.28 (and still there after 2.88 took the figures away).
        var at228 = await cloud.Compute(HttpMethod.Get, "/os-hypervisors/detail", microversion: "2.28");
        Assert.Equal(System.Text.Json.JsonValueKind.String, hosts[0]!["cpu_info"]!.GetValueKind());
        Assert.IsType<System.Text.Json.Nodes.JsonObject>(at228.Json!["hypervisors"]![0]!["cpu_info"]);
        Assert.IsType<System.Text.Json.Nodes.JsonObject>(at288.Json["hypervisors"]![0]!["cpu_info"]);
    }

    [Fact]
    public async Task Availability_zones_list_nova_as_available()
    {
        var response = await cloud.Compute(HttpMethod.Get, "/os-availability-zone", "demo");
        var zone = response.Json!["availabilityZoneInfo"]![0]!;
        Assert.Equal("nova", zone["zoneName"]!.GetValue<string>());
        Assert.True(zone["zoneState"]!["available"]!.GetValue<bool>());
        Assert.Null(zone["hosts"]);
    }

    [Fact]
    public async Task Limits_count_the_projects_instances_and_leave_maximums_unlimited()
    {
        await cloud.ActiveServer("spec-limits", "alt");
        var limits = await cloud.Compute(HttpMethod.Get, "/limits", "alt");
        var absolute = limits.Json!["limits"]!["absolute"]!;
        Assert.True(absolute["totalInstancesUsed"]!.GetValue<int>() >= 1);
        Assert.True(absolute["totalRAMUsed"]!.GetValue<long>() >= 512);
        Assert.Equal(-1, absolute["maxTotalInstances"]!.GetValue<int>());
        Assert.Empty(limits.Json["limits"]!["rate"]!.AsArray());
    }
}
