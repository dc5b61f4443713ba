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
