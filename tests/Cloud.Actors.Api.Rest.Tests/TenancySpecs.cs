using System.Net;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>
/// Who may see and act on what: admin (admin role, project admin) and demo (member, project demo), each on a server of
/// its own project and of the other's. A member meets another project's server as if it did not exist (404, as Nova);
/// an admin reaches every project but lists only its own unless it asks for all_tenants.
/// </summary>
[Collection(RestCloudCollection.Name)]
public sealed class TenancySpecs(RestCloud cloud)
{
    public static TheoryData<string, string, string, int> Matrix => new()
    {
        // actor, whose server, operation, expected status (for list: 1 listed, 0 not listed)
        { "admin", "own", "show", 200 }, { "admin", "other", "show", 200 },
        { "demo", "own", "show", 200 }, { "demo", "other", "show", 404 },
        { "admin", "own", "list", 1 }, { "admin", "other", "list", 0 },
        { "demo", "own", "list", 1 }, { "demo", "other", "list", 0 },
        { "admin", "own", "detail", 1 }, { "admin", "other", "detail", 0 },
        { "demo", "own", "detail", 1 }, { "demo", "other", "detail", 0 },
        { "admin", "own", "stop", 202 }, { "admin", "other", "stop", 202 },
        { "demo", "own", "stop", 202 }, { "demo", "other", "stop", 404 },
        { "admin", "own", "delete", 204 }, { "admin", "other", "delete", 204 },
        { "demo", "own", "delete", 204 }, { "demo", "other", "delete", 404 },
        { "admin", "other", "list-all-tenants", 1 }, { "demo", "other", "list-all-tenants", 403 },
        { "demo", "other", "console", 404 }, { "admin", "other", "console", 200 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Who_may_see_and_act_on_which_server(string actor, string whose, string operation, int expected)
    {
        var owner = whose == "own" ? actor : actor == "admin" ? "demo" : "admin";
        var id = await cloud.ActiveServer($"tenancy-{actor}-{whose}-{operation}", owner);
        switch (operation)
        {
            case "show":
                Assert.Equal(expected, (int)(await cloud.Compute(HttpMethod.Get, $"/servers/{id}", actor)).Status);
                break;
            case "list" or "detail" or "list-all-tenants":
                var path = operation switch { "list" => "/servers", "detail" => "/servers/detail", _ => "/servers/detail?all_tenants=1" };
                var response = await cloud.Compute(HttpMethod.Get, path, actor);
                if (expected == 403)
                {
                    Assert.Equal(HttpStatusCode.Forbidden, response.Status);
                    Assert.NotNull(response.Json!["forbidden"]);
                    break;
                }
                var listed = response.Json!["servers"]!.AsArray().Any(s => s!["id"]!.GetValue<string>() == id);
                Assert.Equal(expected == 1, listed);
                break;
            case "stop":
                var stop = await cloud.Compute(HttpMethod.Post, $"/servers/{id}/action", actor, JsonNode.Parse("""{"os-stop": null}"""));
                Assert.Equal(expected, (int)stop.Status);
                if (expected == 404) await AssertStillActive(id);
                break;
            case "delete":
                Assert.Equal(expected, (int)(await cloud.Compute(HttpMethod.Delete, $"/servers/{id}", actor)).Status);
                if (expected == 404) await AssertStillActive(id);
                break;
            case "console":
                var console = await cloud.Compute(HttpMethod.Post, $"/servers/{id}/action", actor, JsonNode.Parse("""{"os-getConsoleOutput": {}}"""));
                Assert.Equal(expected, (int)console.Status);
                break;
        }
    }

    private async Task AssertStillActive(string id)
    {
        var shown = await cloud.Compute(HttpMethod.Get, $"/servers/{id}");
        Assert.Equal("ACTIVE", shown.Json!["server"]!["status"]!.GetValue<string>());
        Assert.Null(shown.Json["server"]!["OS-EXT-STS:task_state"]);
    }

    [Fact]
    public async Task A_member_sees_and_deletes_only_its_own_key_pairs()
    {
        var body = new JsonObject { ["keypair"] = new JsonObject { ["name"] = "tenancy-admin-key" } };
        Assert.Equal(HttpStatusCode.OK, (await cloud.Compute(HttpMethod.Post, "/os-keypairs", "admin", body)).Status);
        var list = await cloud.Compute(HttpMethod.Get, "/os-keypairs", "demo");
        Assert.DoesNotContain(list.Json!["keypairs"]!.AsArray(), k => k!["keypair"]!["name"]!.GetValue<string>() == "tenancy-admin-key");
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Get, "/os-keypairs/tenancy-admin-key", "demo")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Delete, "/os-keypairs/tenancy-admin-key", "demo")).Status);
        Assert.Equal(HttpStatusCode.OK, (await cloud.Compute(HttpMethod.Get, "/os-keypairs/tenancy-admin-key", "admin")).Status);
    }

    [Fact]
    public async Task From_2_10_an_admin_may_name_the_user_whose_key_pairs_it_means_and_a_member_may_not()
    {
        var body = new JsonObject { ["keypair"] = new JsonObject { ["name"] = "tenancy-demo-key" } };
        await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", body);
        const string demo = "205df75c21554477b91ad6c43912a413";
        const string admin = "0f94f0bbcdee4715ba2750502bb0d63f";
        var asAdmin = await cloud.Compute(HttpMethod.Get, $"/os-keypairs?user_id={demo}", "admin", microversion: "2.10");
        Assert.Contains(asAdmin.Json!["keypairs"]!.AsArray(), k => k!["keypair"]!["name"]!.GetValue<string>() == "tenancy-demo-key");
        Assert.Equal(HttpStatusCode.OK, (await cloud.Compute(HttpMethod.Get, $"/os-keypairs/tenancy-demo-key?user_id={demo}", "admin", microversion: "2.10")).Status);
        var asMember = await cloud.Compute(HttpMethod.Get, $"/os-keypairs?user_id={admin}", "demo", microversion: "2.10");
        Assert.Equal(HttpStatusCode.Forbidden, asMember.Status);
        // Before 2.10 the parameter means nothing: the caller's own key pairs.
        var old = await cloud.Compute(HttpMethod.Get, $"/os-keypairs?user_id={demo}", "admin");
        Assert.DoesNotContain(old.Json!["keypairs"]!.AsArray(), k => k!["keypair"]!["name"]!.GetValue<string>() == "tenancy-demo-key");
    }

    [Fact]
    public async Task A_member_cannot_boot_with_another_users_key_pair()
    {
        var body = new JsonObject { ["keypair"] = new JsonObject { ["name"] = "tenancy-admin-bootkey" } };
        await cloud.Compute(HttpMethod.Post, "/os-keypairs", "admin", body);
        var boot = RestCloud.BootBody("tenancy-stolen-key");
        boot["server"]!["key_name"] = "tenancy-admin-bootkey";
        var response = await cloud.Compute(HttpMethod.Post, "/servers", "demo", boot);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task A_member_may_not_list_hypervisors_or_zone_details()
    {
        var hypervisors = await cloud.Compute(HttpMethod.Get, "/os-hypervisors", "demo");
        Assert.Equal(HttpStatusCode.Forbidden, hypervisors.Status);
        Assert.Equal(403, hypervisors.Json!["forbidden"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await cloud.Compute(HttpMethod.Get, "/os-availability-zone/detail", "demo")).Status);
    }

    [Fact]
    public async Task A_server_is_owned_by_the_tokens_project_and_user()
    {
        var id = await cloud.ActiveServer("tenancy-owner", "demo");
        var server = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}", "demo")).Json!["server"]!;
        Assert.Equal("d7528db6423e4029902ab06e413dfb9c", server["tenant_id"]!.GetValue<string>());
        Assert.Equal("205df75c21554477b91ad6c43912a413", server["user_id"]!.GetValue<string>());
    }
}
