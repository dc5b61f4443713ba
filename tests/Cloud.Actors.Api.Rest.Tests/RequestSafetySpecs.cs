using System.Net;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>401 without a valid token, 413 over the body limit, 400 naming the field for bad JSON or types; nothing created by a rejected request.</summary>
[Collection(RestCloudCollection.Name)]
public sealed class RequestSafetySpecs(RestCloud cloud)
{
    private string Servers => $"{cloud.Server.Urls.Compute}/v2.1/servers";

    [Fact]
    public async Task No_token_is_401_with_keystones_body_and_where_to_authenticate()
    {
        var response = await cloud.Send(HttpMethod.Get, Servers, null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(401, response.Json!["error"]!["code"]!.GetValue<int>());
        Assert.Equal($"Keystone uri=\"{cloud.Server.Urls.Identity}\"", response.Headers["WWW-Authenticate"]);
    }

    [Fact]
    public async Task A_bad_token_is_401()
    {
        var response = await cloud.Send(HttpMethod.Get, Servers, "gAAAAAforged", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_overLimit_and_creates_nothing()
    {
        var body = RestCloud.BootBody("safety-too-large");
        body["server"]!["metadata"] = new JsonObject { ["padding"] = new string('x', 20 * 1024) };
        var response = await cloud.Send(HttpMethod.Post, Servers, await cloud.Token("admin"), body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal(413, response.Json!["overLimit"]!["code"]!.GetValue<int>());
        await AssertNoServer("safety-too-large");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_at_identity_too()
    {
        var body = RestCloud.PasswordAuth("demo", "demo");
        body["padding"] = new string('x', 20 * 1024);
        var response = await cloud.Send(HttpMethod.Post, $"{cloud.Server.Urls.Identity}/v3/auth/tokens", null, body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal(413, response.Json!["error"]!["code"]!.GetValue<int>());
        Assert.False(response.Headers.ContainsKey("X-Subject-Token"));
    }

    [Fact]
    public async Task A_key_pair_body_over_the_limit_is_413_and_creates_nothing()
    {
        var body = new JsonObject { ["keypair"] = new JsonObject { ["name"] = "safety-big-key", ["public_key"] = new string('A', 20 * 1024) } };
        var response = await cloud.Send(HttpMethod.Post, $"{cloud.Server.Urls.Compute}/v2.1/os-keypairs", await cloud.Token("demo"), body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Compute(HttpMethod.Get, "/os-keypairs/safety-big-key", "demo")).Status);
    }

    [Fact]
    public async Task Malformed_json_is_400_and_creates_nothing()
    {
        var response = await cloud.SendRaw(HttpMethod.Post, Servers, await cloud.Token("admin"), """{"server": {"name": "safety-malformed", """);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("Malformed request body", response.Json!["badRequest"]!["message"]!.GetValue<string>());
        await AssertNoServer("safety-malformed");
    }

    [Fact]
    public async Task A_duplicate_key_is_400_and_creates_nothing()
    {
        var body = $$$"""{"server": {"name": "safety-dup-a", "name": "safety-dup-b", "imageRef": "{{{RestCloud.Cirros}}}", "flavorRef": "1", "networks": "auto"}}""";
        var response = await cloud.SendRaw(HttpMethod.Post, Servers, await cloud.Token("admin"), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        await AssertNoServer("safety-dup-a");
        await AssertNoServer("safety-dup-b");
    }

    [Fact]
    public async Task An_unpaired_surrogate_is_400_naming_the_field_on_create_and_on_update()
    {
        var body = $$$"""{"server": {"name": "safety-\ud800-x", "imageRef": "{{{RestCloud.Cirros}}}", "flavorRef": "1", "networks": "auto"}}""";
        var created = await cloud.SendRaw(HttpMethod.Post, Servers, await cloud.Token("admin"), body);
        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Contains("field/attribute name", created.Json!["badRequest"]!["message"]!.GetValue<string>());

        var id = await cloud.ActiveServer("safety-surrogate");
        var renamed = await cloud.SendRaw(HttpMethod.Put, $"{Servers}/{id}", await cloud.Token("admin"), """{"server": {"name": "a\udc00b"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, renamed.Status);
        Assert.Contains("field/attribute name", renamed.Json!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Equal("safety-surrogate", (await cloud.Compute(HttpMethod.Get, $"/servers/{id}")).Json!["server"]!["name"]!.GetValue<string>());
        await cloud.Compute(HttpMethod.Delete, $"/servers/{id}");
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_its_content_type_is_415_and_creates_nothing()
    {
        var body = RestCloud.BootBody("safety-text-plain").ToJsonString();
        var response = await cloud.SendRaw(HttpMethod.Post, Servers, await cloud.Token("admin"), body, ("Content-Type", "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Contains("text/plain", response.Json!["badMediaType"]!["message"]!.GetValue<string>());
        await AssertNoServer("safety-text-plain");
        // Nova's vendor type is JSON too.
        var vendor = await cloud.SendRaw(HttpMethod.Post, Servers, await cloud.Token("admin"), RestCloud.BootBody("safety-vendor").ToJsonString(),
            ("Content-Type", "application/vnd.openstack.compute+json"));
        Assert.Equal(HttpStatusCode.Accepted, vendor.Status);
        await cloud.Compute(HttpMethod.Delete, $"/servers/{vendor.Json!["server"]!["id"]!.GetValue<string>()}");
        // No content type at all is JSON, as Nova takes it.
        var untyped = await cloud.SendRaw(HttpMethod.Post, Servers, await cloud.Token("admin"), RestCloud.BootBody("safety-untyped").ToJsonString(), ("Content-Type", ""));
        Assert.Equal(HttpStatusCode.Accepted, untyped.Status);
        await cloud.Compute(HttpMethod.Delete, $"/servers/{untyped.Json!["server"]!["id"]!.GetValue<string>()}");
    }

    [Theory]
    [InlineData("name", "42", "name")]
    [InlineData("flavorRef", "1.5", "flavorRef")]
    [InlineData("min_count", "\"many\"", "min_count")]
    [InlineData("max_count", "0", "max_count")]
    [InlineData("networks", "{\"uuid\": 1}", "networks")]
    [InlineData("key_name", "[\"k\"]", "key_name")]
    public async Task A_wrong_type_is_400_naming_the_field_and_creates_nothing(string field, string json, string named)
    {
        var body = RestCloud.BootBody("safety-wrong-type");
        body["server"]![field] = JsonNode.Parse(json);
        var response = await cloud.Send(HttpMethod.Post, Servers, await cloud.Token("admin"), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains($"field/attribute {named}", response.Json!["badRequest"]!["message"]!.GetValue<string>());
        await AssertNoServer("safety-wrong-type");
    }

    [Theory]
    [InlineData("name")]
    [InlineData("flavorRef")]
    public async Task A_missing_required_field_is_400_naming_it(string field)
    {
        var body = RestCloud.BootBody("safety-missing");
        body["server"]!.AsObject().Remove(field);
        var response = await cloud.Send(HttpMethod.Post, Servers, await cloud.Token("admin"), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains($"'{field}' is a required property", response.Json!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_without_the_server_object_is_400()
    {
        var response = await cloud.Send(HttpMethod.Post, Servers, await cloud.Token("admin"), JsonNode.Parse("""{"name": "x"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("'server' is a required property", response.Json!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_json_array_body_is_400()
    {
        var response = await cloud.SendRaw(HttpMethod.Post, Servers, await cloud.Token("admin"), "[]");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    private async Task AssertNoServer(string name)
    {
        var list = await cloud.Compute(HttpMethod.Get, $"/servers?name=^{name}$&all_tenants=1");
        Assert.Empty(list.Json!["servers"]!.AsArray());
    }
}
