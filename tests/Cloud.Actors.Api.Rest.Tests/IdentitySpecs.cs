using System.Net;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Rest.Identity;

namespace Cloud.Actors.Api.Rest.Tests;

[Collection(RestCloudCollection.Name)]
public sealed class IdentitySpecs(RestCloud cloud)
{
    private string Tokens => $"{cloud.Server.Urls.Identity}/v3/auth/tokens";

    [Fact]
    public async Task Root_lists_v3_with_300_and_v3_describes_itself()
    {
        var root = await cloud.Send(HttpMethod.Get, cloud.Server.Urls.Identity + "/", null, null);
        Assert.Equal(HttpStatusCode.MultipleChoices, root.Status);
        Assert.Equal("v3.14", root.Json!["versions"]!["values"]![0]!["id"]!.GetValue<string>());
        var v3 = await cloud.Send(HttpMethod.Get, cloud.Server.Urls.Identity + "/v3", null, null);
        Assert.Equal(HttpStatusCode.OK, v3.Status);
        Assert.Equal("stable", v3.Json!["version"]!["status"]!.GetValue<string>());
        Assert.Equal($"{cloud.Server.Urls.Identity}/v3/", v3.Json["version"]!["links"]![0]!["href"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_default_domain_is_shown_to_its_users_and_an_unknown_one_is_404()
    {
        var domain = await cloud.Send(HttpMethod.Get, cloud.Server.Urls.Identity + "/v3/domains/default", await cloud.Token("demo"), null);
        Assert.Equal(HttpStatusCode.OK, domain.Status);
        Assert.Equal(("default", "Default"), (domain.Json!["domain"]!["id"]!.GetValue<string>(), domain.Json["domain"]!["name"]!.GetValue<string>()));
        var unknown = await cloud.Send(HttpMethod.Get, cloud.Server.Urls.Identity + "/v3/domains/nope", await cloud.Token("demo"), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Password_auth_scoped_to_a_project_returns_the_token_in_X_Subject_Token()
    {
        var response = await cloud.Send(HttpMethod.Post, Tokens, null, RestCloud.PasswordAuth("demo", "demo"));
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.StartsWith("gAAAA", response.Headers["X-Subject-Token"]);
        var token = response.Json!["token"]!;
        Assert.Equal("demo", token["user"]!["name"]!.GetValue<string>());
        Assert.Equal("d7528db6423e4029902ab06e413dfb9c", token["project"]!["id"]!.GetValue<string>());
        Assert.Equal(["member", "reader"], token["roles"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order());
        Assert.EndsWith("Z", token["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_catalog_has_identity_compute_image_and_network_at_their_bound_ports_for_every_interface()
    {
        var response = await cloud.Send(HttpMethod.Post, Tokens, null, RestCloud.PasswordAuth("admin", "admin"));
        var catalog = response.Json!["token"]!["catalog"]!.AsArray();
        var urls = cloud.Server.Urls;
        var expected = new Dictionary<string, string>
        {
            ["identity"] = $"{urls.Identity}/v3", ["compute"] = $"{urls.Compute}/v2.1", ["image"] = urls.Image, ["network"] = urls.Network,
        };
        Assert.Equal(expected.Keys.Order(), catalog.Select(s => s!["type"]!.GetValue<string>()).Order());
        foreach (var service in catalog)
        {
            var endpoints = service!["endpoints"]!.AsArray();
            Assert.Equal(["admin", "internal", "public"], endpoints.Select(e => e!["interface"]!.GetValue<string>()).Order());
            Assert.All(endpoints, e => Assert.Equal(expected[service["type"]!.GetValue<string>()], e!["url"]!.GetValue<string>()));
            Assert.All(endpoints, e => Assert.StartsWith("http://127.0.0.1:", e!["url"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task A_wrong_password_is_401_with_keystones_body()
    {
        var response = await cloud.Send(HttpMethod.Post, Tokens, null, RestCloud.PasswordAuth("demo", "demo", "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(401, response.Json!["error"]!["code"]!.GetValue<int>());
        Assert.Equal("Unauthorized", response.Json["error"]!["title"]!.GetValue<string>());
        Assert.False(response.Headers.ContainsKey("X-Subject-Token"));
    }

    [Fact]
    public async Task A_project_the_user_has_no_role_in_is_401()
    {
        var response = await cloud.Send(HttpMethod.Post, Tokens, null, RestCloud.PasswordAuth("demo", "admin"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400()
    {
        var response = await cloud.SendRaw(HttpMethod.Post, Tokens, null, "{\"auth\": ");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(400, response.Json!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Missing_methods_is_400_naming_identity()
    {
        var response = await cloud.Send(HttpMethod.Post, Tokens, null, JsonNode.Parse("""{"auth": {"identity": {}}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("'identity'", response.Json!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_token_method_issues_a_new_token_for_the_same_user()
    {
        var first = await cloud.Token("admin");
        var body = JsonNode.Parse("""
            {"auth": {"identity": {"methods": ["token"], "token": {"id": "FIRST"}},
                      "scope": {"project": {"id": "d7528db6423e4029902ab06e413dfb9c"}}}}
            """.Replace("FIRST", first));
        var response = await cloud.Send(HttpMethod.Post, Tokens, null, body);
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.NotEqual(first, response.Headers["X-Subject-Token"]);
        Assert.Equal("demo", response.Json!["token"]!["project"]!["name"]!.GetValue<string>());
        Assert.Equal(["token"], response.Json["token"]!["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task Validating_a_live_token_returns_it_and_an_unknown_one_is_404()
    {
        var caller = await cloud.Token("demo");
        var valid = await cloud.Send(HttpMethod.Get, Tokens, caller, null, ("X-Subject-Token", caller));
        Assert.Equal(HttpStatusCode.OK, valid.Status);
        Assert.Equal(caller, valid.Headers["X-Subject-Token"]);
        Assert.Equal("demo", valid.Json!["token"]!["user"]!["name"]!.GetValue<string>());
        var unknown = await cloud.Send(HttpMethod.Get, Tokens, caller, null, ("X-Subject-Token", "gAAAAAnot-a-token"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Validating_without_a_token_of_ones_own_is_401()
    {
        var subject = await cloud.Token("demo");
        var response = await cloud.Send(HttpMethod.Get, Tokens, null, null, ("X-Subject-Token", subject));
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task A_member_may_not_validate_another_users_token()
    {
        var response = await cloud.Send(HttpMethod.Get, Tokens, await cloud.Token("demo"), null, ("X-Subject-Token", await cloud.Token("admin")));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
    }

    [Fact]
    public async Task A_revoked_token_no_longer_opens_compute()
    {
        var issued = await cloud.Send(HttpMethod.Post, Tokens, null, RestCloud.PasswordAuth("demo", "demo"));
        var token = issued.Headers["X-Subject-Token"];
        var revoked = await cloud.Send(HttpMethod.Delete, Tokens, token, null, ("X-Subject-Token", token));
        Assert.Equal(HttpStatusCode.NoContent, revoked.Status);
        var after = await cloud.Send(HttpMethod.Get, $"{cloud.Server.Urls.Compute}/v2.1/flavors", token, null);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
    }
}

[Collection(RestCloudCollection.Name)]
public sealed class IdentityResourcesSpecs(RestCloud cloud)
{
    private async Task<ApiResponse> Get(string path, string user) =>
        await cloud.Send(HttpMethod.Get, $"{cloud.Server.Urls.Identity}/v3{path}", await cloud.Token(user), null);

    [Fact]
    public async Task An_admin_lists_projects_users_roles_and_domains()
    {
        Assert.Equal(["admin", "alt", "demo"], (await Get("/projects", "admin")).Json!["projects"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Order());
        Assert.Equal(["admin", "alt", "demo"], (await Get("/users", "admin")).Json!["users"]!.AsArray().Select(u => u!["name"]!.GetValue<string>()).Order());
        Assert.Contains((await Get("/roles", "admin")).Json!["roles"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "member");
        Assert.Equal("Default", (await Get("/domains", "admin")).Json!["domains"]![0]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/projects")]
    [InlineData("/users")]
    [InlineData("/roles")]
    [InlineData("/domains")]
    [InlineData("/users/0f94f0bbcdee4715ba2750502bb0d63f")]
    [InlineData("/projects/0912c80bef254d7b9352632793cf75b9")]
    public async Task A_member_may_not_read_what_is_not_its_own(string path)
    {
        var response = await Get(path, "demo");
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(403, response.Json!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_member_reads_itself_and_its_projects()
    {
        const string demo = "205df75c21554477b91ad6c43912a413";
        Assert.Equal("demo", (await Get($"/users/{demo}", "demo")).Json!["user"]!["name"]!.GetValue<string>());
        Assert.Equal(["demo"], (await Get($"/users/{demo}/projects", "demo")).Json!["projects"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await Get("/projects/d7528db6423e4029902ab06e413dfb9c", "demo")).Status);
    }

    [Fact]
    public async Task Without_a_token_they_are_401()
    {
        var response = await cloud.Send(HttpMethod.Get, $"{cloud.Server.Urls.Identity}/v3/projects", null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }
}

public sealed class TokenStoreSpecs
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_token_expires_after_the_configured_expiration()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-26T12:00:00Z"));
        var store = new TokenStore(RestCloud.Identity(TimeSpan.FromHours(1)), clock);
        var user = store.CheckPassword(null, "demo", RestCloud.Password)!;
        var token = store.Issue(user, store.FindProject(null, "demo")!, ["password"])!;
        Assert.Equal(clock.Now.AddHours(1), token.ExpiresAt);
        clock.Now = clock.Now.AddMinutes(59);
        Assert.NotNull(store.Validate(token.Id));
        clock.Now = clock.Now.AddMinutes(1);
        Assert.Null(store.Validate(token.Id));
    }

    [Fact]
    public void A_token_made_from_a_token_never_outlives_it()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-26T12:00:00Z"));
        var store = new TokenStore(RestCloud.Identity(TimeSpan.FromHours(1)), clock);
        var user = store.CheckPassword(null, "admin", RestCloud.Password)!;
        var first = store.Issue(user, store.FindProject(null, "admin")!, ["password"])!;
        clock.Now = clock.Now.AddMinutes(30);
        var second = store.Issue(user, store.FindProject(null, "demo")!, ["token"], first.ExpiresAt)!;
        Assert.Equal(first.ExpiresAt, second.ExpiresAt);
    }

    [Fact]
    public void Roles_make_admin_only_with_the_admin_role()
    {
        var store = new TokenStore(RestCloud.Identity());
        var admin = store.Issue(store.CheckPassword(null, "admin", RestCloud.Password)!, store.FindProject(null, "admin")!, ["password"])!;
        var demo = store.Issue(store.CheckPassword(null, "demo", RestCloud.Password)!, store.FindProject(null, "demo")!, ["password"])!;
        Assert.True(admin.Context.IsAdmin);
        Assert.False(demo.Context.IsAdmin);
        Assert.Equal("d7528db6423e4029902ab06e413dfb9c", demo.Context.ProjectId);
    }
}

public sealed class PasswordHashSpecs
{
    [Fact]
    public void A_created_hash_verifies_its_password_and_no_other()
    {
        var hash = PasswordHash.Create("secret", iterations: 1000);
        Assert.StartsWith("pbkdf2-sha256$1000$", hash);
        Assert.True(PasswordHash.Verify("secret", hash));
        Assert.False(PasswordHash.Verify("Secret", hash));
    }

    [Fact]
    public void The_shipped_default_hash_is_the_password_secret_as_pythons_hashlib_makes_it()
    {
        // The admin hash in hocon/controller.conf, made with the python3 one-liner documented there.
        const string shipped = "pbkdf2-sha256$600000$zo+ft4JMNgV1+pN0DEIlxg==$nXNZyLJ+0unaud94KTP/2mWDk0pvH5HVPOH06l9gWJM=";
        Assert.True(PasswordHash.Verify("secret", shipped));
    }

    [Theory]
    [InlineData("")]
    [InlineData("md5$1$abc$def")]
    [InlineData("pbkdf2-sha256$x$abc$def")]
    [InlineData("pbkdf2-sha256$1000$not base64$def")]
    public void A_malformed_hash_lets_nobody_in(string stored) => Assert.False(PasswordHash.Verify("secret", stored));
}
