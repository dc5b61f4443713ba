using System.Net;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>
/// /os-services: the list (ids by microversion, filters), enabling and disabling a nova-compute service by
/// uuid (2.53+) and by action (before), and every refusal leaving the services as they were. A spec that
/// disables a host enables it again before it ends: the cloud is shared by the collection.
/// </summary>
[Collection(RestCloudCollection.Name)]
public sealed class ServiceSpecs(RestCloud cloud)
{
    private async Task<JsonArray> Services(string microversion = "2.53", string query = "") =>
        (await cloud.Compute(HttpMethod.Get, "/os-services" + query, microversion: microversion)).Json!["services"]!.AsArray();

    private async Task<string> ComputeId(string host) =>
        (await Services(query: $"?host={host}&binary=nova-compute")).Single()!["id"]!.GetValue<string>();

    /// <summary>The message of Nova's fault body ({"badRequest": {"code": 400, "message": ...}}).</summary>
    private static string Message(ApiResponse response) =>
        response.Json!.AsObject().Single().Value!["message"]!.GetValue<string>();

    private async Task<string> Status(string host) =>
        (await Services(query: $"?host={host}&binary=nova-compute")).Single()!["status"]!.GetValue<string>();

    [Fact]
    public async Task The_list_has_the_scheduler_then_each_compute_with_novas_fields()
    {
        var services = await Services("2.1");

        Assert.Equal(["nova-scheduler@controller", "nova-compute@compute1", "nova-compute@compute2"],
            services.Select(s => $"{s!["binary"]}@{s["host"]}"));
        Assert.Equal([1, 2, 3], services.Select(s => s!["id"]!.GetValue<int>()));
        Assert.Equal(["internal", "nova", "nova"], services.Select(s => s!["zone"]!.GetValue<string>()));
        Assert.All(services, s =>
        {
            Assert.Equal("up", s!["state"]!.GetValue<string>());
            Assert.True(DateTime.TryParse(s["updated_at"]!.GetValue<string>(), out _));
            Assert.True(s.AsObject().ContainsKey("disabled_reason"));
            Assert.False(s.AsObject().ContainsKey("forced_down"));
        });
        Assert.False((await Services("2.11"))[0]!["forced_down"]!.GetValue<bool>());
    }

    [Fact]
    public async Task From_2_53_ids_are_uuids_and_a_hypervisors_service_id_is_its_compute_services()
    {
        var services = await Services("2.53");
        Assert.All(services, s => Assert.True(Guid.TryParse(s!["id"]!.GetValue<string>(), out _)));
        Assert.Equal(3, services.Select(s => s!["id"]!.GetValue<string>()).Distinct().Count());

        var hypervisors = (await cloud.Compute(HttpMethod.Get, "/os-hypervisors/detail", microversion: "2.53")).Json!["hypervisors"]!.AsArray();
        Assert.Equal(await ComputeId("compute2"), hypervisors[1]!["service"]!["id"]!.GetValue<string>());
        var old = (await cloud.Compute(HttpMethod.Get, "/os-hypervisors/detail", microversion: "2.1")).Json!["hypervisors"]!.AsArray();
        Assert.Equal(3, old[1]!["service"]!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_list_filters_by_host_and_binary()
    {
        Assert.Equal(["compute2"], (await Services(query: "?host=compute2")).Select(s => s!["host"]!.GetValue<string>()));
        Assert.Equal(["controller"], (await Services(query: "?binary=nova-scheduler")).Select(s => s!["host"]!.GetValue<string>()));
        Assert.Empty(await Services(query: "?host=nowhere"));
    }

    [Fact]
    public async Task A_disabled_compute_shows_its_reason_everywhere_and_enabling_clears_it()
    {
        var id = await ComputeId("compute1");
        try
        {
            var disabled = await cloud.Compute(HttpMethod.Put, $"/os-services/{id}", body: new JsonObject
            {
                ["status"] = "disabled", ["disabled_reason"] = "new disks <sda> & \"sdb\" — ñ",
            }, microversion: "2.53");

            Assert.Equal(HttpStatusCode.OK, disabled.Status);
            var service = disabled.Json!["service"]!;
            Assert.Equal((id, "disabled", "new disks <sda> & \"sdb\" — ñ", "compute1"),
                (service["id"]!.GetValue<string>(), service["status"]!.GetValue<string>(),
                    service["disabled_reason"]!.GetValue<string>(), service["host"]!.GetValue<string>()));
            Assert.Equal("disabled", await Status("compute1"));
            var hypervisor = (await cloud.Compute(HttpMethod.Get, "/os-hypervisors/detail")).Json!["hypervisors"]![0]!;
            Assert.Equal(("disabled", "new disks <sda> & \"sdb\" — ñ"),
                (hypervisor["status"]!.GetValue<string>(), hypervisor["service"]!["disabled_reason"]!.GetValue<string>()));
        }
        finally
        {
            var enabled = await cloud.Compute(HttpMethod.Put, $"/os-services/{id}", body: new JsonObject { ["status"] = "enabled" }, microversion: "2.53");
            Assert.Equal(HttpStatusCode.OK, enabled.Status);
            Assert.Null(enabled.Json!["service"]!["disabled_reason"]);
        }
        Assert.Equal("enabled", await Status("compute1"));
    }

    [Fact]
    public async Task Before_2_53_the_enable_and_disable_actions_name_host_and_binary()
    {
        try
        {
            var disabled = await cloud.Compute(HttpMethod.Put, "/os-services/disable-log-reason", body: new JsonObject
            {
                ["host"] = "compute2", ["binary"] = "nova-compute", ["disabled_reason"] = "firmware",
            }, microversion: "2.52");
            Assert.Equal(HttpStatusCode.OK, disabled.Status);
            Assert.Equal("""{"host":"compute2","binary":"nova-compute","status":"disabled","disabled_reason":"firmware"}""",
                disabled.Json!["service"]!.ToJsonString());
            Assert.Equal("disabled", await Status("compute2"));
        }
        finally
        {
            var enabled = await cloud.Compute(HttpMethod.Put, "/os-services/enable",
                body: new JsonObject { ["host"] = "compute2", ["binary"] = "nova-compute" }, microversion: "2.52");
            Assert.Equal(HttpStatusCode.OK, enabled.Status);
            Assert.Equal("enabled", enabled.Json!["service"]!["status"]!.GetValue<string>());
        }
        Assert.Equal("enabled", await Status("compute2"));
    }

    public static TheoryData<string, string, HttpStatusCode, string> RefusedUpdates => new()
    {
        // path (COMPUTE1 / SCHEDULER are replaced by their uuids), body, status, a part of the message
        { "/os-services/COMPUTE1", """{}""", HttpStatusCode.BadRequest, "No updates were requested" },
        { "/os-services/COMPUTE1", """{"status":"off"}""", HttpStatusCode.BadRequest, "status" },
        { "/os-services/COMPUTE1", """{"status":1}""", HttpStatusCode.BadRequest, "field/attribute status" },
        { "/os-services/COMPUTE1", """{"status":"disabled","disabled_reason":7}""", HttpStatusCode.BadRequest, "field/attribute disabled_reason" },
        { "/os-services/COMPUTE1", """{"status":"disabled","disabled_reason":""}""", HttpStatusCode.BadRequest, "disabled_reason" },
        { "/os-services/COMPUTE1", $$"""{"status":"disabled","disabled_reason":"{{new string('x', 256)}}"}""", HttpStatusCode.BadRequest, "disabled_reason" },
        { "/os-services/COMPUTE1", """{"status":"enabled","disabled_reason":"why"}""", HttpStatusCode.BadRequest, "'disabled_reason' with status 'enabled'" },
        { "/os-services/COMPUTE1", """{"status":"disabled","colour":"red"}""", HttpStatusCode.BadRequest, "'colour' was unexpected" },
        { "/os-services/COMPUTE1", """{"forced_down":true}""", HttpStatusCode.BadRequest, "field/attribute forced_down" },
        { "/os-services/COMPUTE1", """{"forced_down":"yes"}""", HttpStatusCode.BadRequest, "is not of type 'boolean'" },
        { "/os-services/COMPUTE1", """[1]""", HttpStatusCode.BadRequest, "Malformed request body" },
        { "/os-services/SCHEDULER", """{"status":"disabled"}""", HttpStatusCode.BadRequest, "Only nova-compute services can be updated" },
        { "/os-services/7d1e4b58-7ab0-4d93-9b2a-1f1f4bd2a6c4", """{"status":"disabled"}""", HttpStatusCode.NotFound, "not found" },
        { "/os-services/not-a-uuid", """{"status":"disabled"}""", HttpStatusCode.BadRequest, "Invalid uuid not-a-uuid" },
    };

    [Theory]
    [MemberData(nameof(RefusedUpdates))]
    public async Task A_refused_update_names_what_is_wrong_and_changes_nothing(string path, string body, HttpStatusCode status, string message)
    {
        var scheduler = (await Services(query: "?binary=nova-scheduler")).Single()!["id"]!.GetValue<string>();
        path = path.Replace("COMPUTE1", await ComputeId("compute1")).Replace("SCHEDULER", scheduler);
        var token = await cloud.Token("admin");

        var response = await cloud.SendRaw(HttpMethod.Put, cloud.Server.Urls.Compute + "/v2.1" + path, token, body,
            ("OpenStack-API-Version", "compute 2.53"));

        Assert.Equal(status, response.Status);
        Assert.Contains(message, Message(response));
        Assert.All(await Services(), s => Assert.Equal("enabled", s!["status"]!.GetValue<string>()));
    }

    public static TheoryData<string, string, HttpStatusCode, string> RefusedActions => new()
    {
        { "/os-services/reboot", """{"host":"compute1","binary":"nova-compute"}""", HttpStatusCode.NotFound, "Unknown action" },
        { "/os-services/disable", """{"binary":"nova-compute"}""", HttpStatusCode.BadRequest, "'host' is a required property" },
        { "/os-services/disable", """{"host":"nowhere","binary":"nova-compute"}""", HttpStatusCode.NotFound, "Host 'nowhere' could not be found." },
        { "/os-services/disable", """{"host":"controller","binary":"nova-scheduler"}""", HttpStatusCode.BadRequest, "Only nova-compute" },
        { "/os-services/disable-log-reason", """{"host":"compute1","binary":"nova-compute"}""", HttpStatusCode.BadRequest, "Missing disabled reason field" },
        { "/os-services/force-down", """{"host":"compute1","binary":"nova-compute","forced_down":true}""", HttpStatusCode.BadRequest, "forced_down" },
    };

    [Theory]
    [MemberData(nameof(RefusedActions))]
    public async Task Before_2_53_a_refused_action_changes_nothing(string path, string body, HttpStatusCode status, string message)
    {
        var token = await cloud.Token("admin");

        var response = await cloud.SendRaw(HttpMethod.Put, cloud.Server.Urls.Compute + "/v2.1" + path, token, body,
            ("OpenStack-API-Version", "compute 2.52"));

        Assert.Equal(status, response.Status);
        Assert.Contains(message, Message(response));
        Assert.All(await Services(), s => Assert.Equal("enabled", s!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Forced_down_false_is_what_every_service_already_is_and_changes_nothing()
    {
        var id = await ComputeId("compute1");

        var byId = await cloud.Compute(HttpMethod.Put, $"/os-services/{id}", body: new JsonObject { ["forced_down"] = false }, microversion: "2.53");
        var byAction = await cloud.Compute(HttpMethod.Put, "/os-services/force-down",
            body: new JsonObject { ["host"] = "compute1", ["binary"] = "nova-compute", ["forced_down"] = false }, microversion: "2.11");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (byId.Status, byAction.Status));
        Assert.Equal(("enabled", false), (byId.Json!["service"]!["status"]!.GetValue<string>(), byId.Json["service"]!["forced_down"]!.GetValue<bool>()));
        Assert.False(byAction.Json!["service"]!["forced_down"]!.GetValue<bool>());
        Assert.Equal("enabled", await Status("compute1"));
    }

    [Fact]
    public async Task A_member_may_neither_list_nor_change_services()
    {
        var id = await ComputeId("compute1");

        var list = await cloud.Compute(HttpMethod.Get, "/os-services", "demo");
        var update = await cloud.Compute(HttpMethod.Put, $"/os-services/{id}", "demo", new JsonObject { ["status"] = "disabled" }, "2.53");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (list.Status, update.Status));
        Assert.Contains("os_compute_api:os-services:update", Message(update));
        Assert.Equal("enabled", await Status("compute1"));
    }
}
