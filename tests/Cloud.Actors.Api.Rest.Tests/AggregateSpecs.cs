using System.Net;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>A cloud whose compute2 and compute3 are in zone "sur" and compute1 in the default "nova".</summary>
public sealed class ZonedRestCloud() : RestCloud([("compute1", "nova"), ("compute2", "sur"), ("compute3", "sur")]);

/// <summary>
/// /os-aggregates, read-only: each zone other than "nova" is an aggregate of its hosts, as Nova keeps zones;
/// `openstack hypervisor show` reads it (and skips the uptime Nova's drivers may not have).
/// </summary>
public sealed class AggregateSpecs(ZonedRestCloud cloud) : IClassFixture<ZonedRestCloud>
{
    [Fact]
    public async Task Each_zone_but_nova_is_an_aggregate_of_its_hosts()
    {
        var list = await cloud.Compute(HttpMethod.Get, "/os-aggregates", microversion: "2.41");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        var sur = list.Json!["aggregates"]!.AsArray().Single()!;
        Assert.Equal(("sur", "sur", 1), (sur["name"]!.GetValue<string>(), sur["availability_zone"]!.GetValue<string>(), sur["id"]!.GetValue<int>()));
        Assert.Equal(["compute2", "compute3"], sur["hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal("sur", sur["metadata"]!["availability_zone"]!.GetValue<string>());
        Assert.True(Guid.TryParse(sur["uuid"]!.GetValue<string>(), out _));

        var shown = await cloud.Compute(HttpMethod.Get, "/os-aggregates/1");
        Assert.Equal("sur", shown.Json!["aggregate"]!["name"]!.GetValue<string>());
        Assert.Null(shown.Json["aggregate"]!["uuid"]);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Get, "/os-aggregates/2")).Status);
    }

    [Fact]
    public async Task Aggregates_are_for_admins_and_cannot_be_created()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await cloud.Compute(HttpMethod.Get, "/os-aggregates", "demo")).Status);

        var create = await cloud.Compute(HttpMethod.Post, "/os-aggregates", body: new System.Text.Json.Nodes.JsonObject
        {
            ["aggregate"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "norte" },
        });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, create.Status);
        Assert.Single((await cloud.Compute(HttpMethod.Get, "/os-aggregates")).Json!["aggregates"]!.AsArray());
    }

    [Fact]
    public async Task Hypervisor_uptime_is_not_implemented_as_for_a_nova_driver_without_it()
    {
        var uptime = await cloud.Compute(HttpMethod.Get, "/os-hypervisors/1/uptime");
        var missing = await cloud.Compute(HttpMethod.Get, "/os-hypervisors/9/uptime");

        Assert.Equal(HttpStatusCode.NotImplemented, uptime.Status);
        Assert.Equal(501, uptime.Json!["notImplemented"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        // From 2.88 the route is gone, as in Nova (uptime became a field of the hypervisor).
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Get, "/os-hypervisors/1/uptime", microversion: "2.88")).Status);
    }
}
