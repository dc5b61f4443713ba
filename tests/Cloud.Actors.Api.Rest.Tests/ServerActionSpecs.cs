using System.Net;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

[Collection(RestCloudCollection.Name)]
public sealed class ServerActionSpecs(RestCloud cloud)
{
    private Task<ApiResponse> Action(string id, string json, string user = "admin") =>
        cloud.Compute(HttpMethod.Post, $"/servers/{id}/action", user, JsonNode.Parse(json));

    [Fact]
    public async Task Stop_then_start_answer_202_and_move_the_server_through_shutoff()
    {
        var id = await cloud.ActiveServer("spec-stop-start");
        var stop = await Action(id, """{"os-stop": null}""");
        Assert.Equal(HttpStatusCode.Accepted, stop.Status);
        await cloud.WaitForStatus(id, "SHUTOFF");
        var start = await Action(id, """{"os-start": null}""");
        Assert.Equal(HttpStatusCode.Accepted, start.Status);
        await cloud.WaitForStatus(id, "ACTIVE");
    }

    [Fact]
    public async Task Pause_unpause_suspend_and_resume_answer_202_and_show_paused_and_suspended()
    {
        var id = await cloud.ActiveServer("spec-pause-suspend");

        Assert.Equal(HttpStatusCode.Accepted, (await Action(id, """{"pause": null}""")).Status);
        await cloud.WaitForStatus(id, "PAUSED");
        var paused = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}")).Json!["server"]!;
        Assert.Equal(("paused", 3), (paused["OS-EXT-STS:vm_state"]!.GetValue<string>(), paused["OS-EXT-STS:power_state"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.Accepted, (await Action(id, """{"unpause": null}""")).Status);
        await cloud.WaitForStatus(id, "ACTIVE");

        Assert.Equal(HttpStatusCode.Accepted, (await Action(id, """{"suspend": null}""")).Status);
        await cloud.WaitForStatus(id, "SUSPENDED");
        var resumeWhileSuspended = await Action(id, """{"unpause": null}""");
        Assert.Equal(HttpStatusCode.Conflict, resumeWhileSuspended.Status);
        Assert.Contains("vm_state suspended", resumeWhileSuspended.Json!["conflictingRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await Action(id, """{"resume": null}""")).Status);
        await cloud.WaitForStatus(id, "ACTIVE");

        var events = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions")).Json!["instanceActions"]!.AsArray();
        Assert.Equal(["resume", "suspend", "unpause", "pause", "create"], events.Select(a => a!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Rebuild_answers_202_with_the_server_rebuilding_and_it_comes_back_active_renamed()
    {
        var id = await cloud.ActiveServer("spec-rebuild");

        var response = await Action(id, $$$"""{"rebuild": {"imageRef": "{{{RestCloud.Cirros}}}", "name": "spec-rebuilt"}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        Assert.Equal(id, response.Json!["server"]!["id"]!.GetValue<string>());
        Assert.Equal("spec-rebuilt", response.Json["server"]!["name"]!.GetValue<string>());
        await cloud.WaitForStatus(id, "ACTIVE");
        var actions = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions")).Json!["instanceActions"]!.AsArray();
        Assert.Equal("rebuild", actions[0]!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rebuild_takes_metadata_access_ips_and_admin_pass_and_at_2_57_answers_the_user_data()
    {
        var id = await cloud.ActiveServer("spec-rebuild-fields");
        var body = $$$"""
            {"rebuild": {"imageRef": "{{{RestCloud.Cirros}}}", "metadata": {"rebuilt": "yes"}, "adminPass": "rebuildPassw0rd",
                         "accessIPv4": "192.0.2.9", "OS-DCF:diskConfig": "MANUAL"}}
            """;
        var response = await cloud.Compute(HttpMethod.Post, $"/servers/{id}/action", "admin", JsonNode.Parse(body), "2.57");
        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var server = response.Json!["server"]!.AsObject();
        Assert.Equal("rebuildPassw0rd", server["adminPass"]!.GetValue<string>());
        Assert.True(server.ContainsKey("user_data"));
        await cloud.WaitForStatus(id, "ACTIVE");
        var shown = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}")).Json!["server"]!;
        Assert.Equal(("yes", "192.0.2.9"), (shown["metadata"]!["rebuilt"]!.GetValue<string>(), shown["accessIPv4"]!.GetValue<string>()));
        await cloud.Compute(HttpMethod.Delete, $"/servers/{id}");
    }

    [Theory]
    [InlineData("""{"rebuild": {"imageRef": "5e1f0b32-0000-4000-8000-000000000000"}}""", HttpStatusCode.BadRequest, "could not be found")]
    [InlineData("""{"rebuild": {}}""", HttpStatusCode.BadRequest, "imageRef")]
    [InlineData("""{"rebuild": {"imageRef": 7}}""", HttpStatusCode.BadRequest, "imageRef")]
    [InlineData("""{"rebuild": {"imageRef": "cirros"}}""", HttpStatusCode.BadRequest, "imageRef")]
    [InlineData("""{"rebuild": {"imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "preserve_ephemeral": "maybe"}}""", HttpStatusCode.BadRequest, "preserve_ephemeral")]
    [InlineData("""{"rebuild": {"imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "personality": [{"path": "/x", "contents": "eA=="}]}}""", HttpStatusCode.BadRequest, "personality")]
    [InlineData("""{"rebuild": {"imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "OS-DCF:diskConfig": "SOMETIMES"}}""", HttpStatusCode.BadRequest, "diskConfig")]
    [InlineData("""{"rebuild": {"imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "colour": "red"}}""", HttpStatusCode.BadRequest, "colour")]
    [InlineData("""{"rebuild": {"imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "name": ""}}""", HttpStatusCode.BadRequest, "name")]
    [InlineData("""{"rebuild": {"imageRef": "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed", "name": " padded "}}""", HttpStatusCode.BadRequest, "name")]
    [InlineData("""{"rebuild": "cirros"}""", HttpStatusCode.BadRequest, "rebuild")]
    public async Task A_bad_rebuild_is_refused_naming_the_problem_and_leaves_the_server_alone(string body, HttpStatusCode status, string named)
    {
        var id = await cloud.ActiveServer("spec-rebuild-bad");

        var response = await Action(id, body);

        Assert.Equal(status, response.Status);
        Assert.Contains(named, response.Json!["badRequest"]!["message"]!.GetValue<string>());
        var actions = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions")).Json!["instanceActions"]!.AsArray();
        Assert.Equal(["create"], actions.Select(a => a!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_member_cannot_pause_another_projects_server()
    {
        var id = await cloud.ActiveServer("spec-pause-foreign");

        Assert.Equal(HttpStatusCode.NotFound, (await Action(id, """{"pause": null}""", "alt")).Status);
        Assert.Equal("ACTIVE", (await cloud.Compute(HttpMethod.Get, $"/servers/{id}")).Json!["server"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Starting_an_active_server_is_409_conflicting_request()
    {
        var id = await cloud.ActiveServer("spec-conflict");
        var response = await Action(id, """{"os-start": null}""");
        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal(409, response.Json!["conflictingRequest"]!["code"]!.GetValue<int>());
        Assert.Contains("vm_state active", response.Json["conflictingRequest"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("SOFT")]
    [InlineData("HARD")]
    public async Task Reboot_answers_202_and_the_server_comes_back_active(string type)
    {
        var id = await cloud.ActiveServer($"spec-reboot-{type}");
        var response = await Action(id, $$$"""{"reboot": {"type": "{{{type}}}"}}""");
        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        await cloud.WaitForStatus(id, "ACTIVE");
    }

    [Fact]
    public async Task A_reboot_type_other_than_soft_or_hard_is_400()
    {
        var id = await cloud.ActiveServer("spec-reboot-bad");
        var response = await Action(id, """{"reboot": {"type": "GENTLE"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("type", response.Json!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Console_output_returns_the_log_as_output()
    {
        var id = await cloud.ActiveServer("spec-console");
        var response = await Action(id, """{"os-getConsoleOutput": {"length": 50}}""");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.NotNull(response.Json!["output"]!.GetValue<string>());
        var all = await Action(id, """{"os-getConsoleOutput": {"length": "-1"}}""");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        // As Nova's _tail_log (and Tempest's check): the answer to length N split at its newlines has N pieces.
        var three = await Action(id, """{"os-getConsoleOutput": {"length": 3}}""");
        Assert.Equal(3, three.Json!["output"]!.GetValue<string>().Split('\n').Length);
        Assert.EndsWith(three.Json!["output"]!.GetValue<string>(), all.Json!["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task Instance_actions_list_what_was_done_newest_first_from_the_journal()
    {
        var id = await cloud.ActiveServer("spec-actions");
        await Action(id, """{"os-stop": null}""");
        await cloud.WaitForStatus(id, "SHUTOFF");
        await Action(id, """{"os-start": null}""");
        await cloud.WaitForStatus(id, "ACTIVE");

        var list = await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var actions = list.Json!["instanceActions"]!.AsArray();
        Assert.Equal(["start", "stop", "create"], actions.Select(a => a!["action"]!.GetValue<string>()));
        Assert.All(actions, a => Assert.Equal(id, a!["instance_uuid"]!.GetValue<string>()));

        var requestId = actions[1]!["request_id"]!.GetValue<string>();
        var shown = await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions/{requestId}");
        var step = shown.Json!["instanceAction"]!["events"]![0]!;
        Assert.Equal("compute_stop_instance", step["event"]!.GetValue<string>());
        Assert.Equal("Success", step["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Instance_action_events_are_for_admins_before_2_51_and_for_the_owner_from_2_51()
    {
        var id = await cloud.ActiveServer("spec-actions-member", "demo");
        var requestId = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions", "demo"))
            .Json!["instanceActions"]![0]!["request_id"]!.GetValue<string>();
        var at21 = await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions/{requestId}", "demo");
        Assert.False(at21.Json!["instanceAction"]!.AsObject().ContainsKey("events"));
        var at251 = await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions/{requestId}", "demo", microversion: "2.51");
        var step = at251.Json!["instanceAction"]!["events"]![0]!.AsObject();
        Assert.False(step.ContainsKey("traceback"));
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions/req-unknown", "demo")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Get, $"/servers/{id}/os-instance-actions", "alt")).Status);
    }

    [Fact]
    public async Task An_unknown_action_is_400()
    {
        var id = await cloud.ActiveServer("spec-unknown-action");
        var response = await Action(id, """{"os-levitate": null}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("os-levitate", response.Json!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_action_on_an_unknown_server_is_404()
    {
        var response = await Action(Guid.NewGuid().ToString(), """{"os-stop": null}""");
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.NotNull(response.Json!["itemNotFound"]);
    }
}
