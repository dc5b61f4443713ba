using System.Net;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

[Collection(RestCloudCollection.Name)]
public sealed class KeyPairSpecs(RestCloud cloud)
{
    private const string PublicKey =
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== Generated-by-Nova";

    private static JsonObject Body(string name, string? publicKey = null)
    {
        var keypair = new JsonObject { ["name"] = name };
        if (publicKey is not null) keypair["public_key"] = publicKey;
        return new JsonObject { ["keypair"] = keypair };
    }

    [Fact]
    public async Task Create_at_2_1_generates_a_pair_and_returns_the_private_key_once()
    {
        var created = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-generated"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var keypair = created.Json!["keypair"]!;
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", keypair["private_key"]!.GetValue<string>());
        Assert.StartsWith("ssh-rsa ", keypair["public_key"]!.GetValue<string>());
        Assert.Equal("205df75c21554477b91ad6c43912a413", keypair["user_id"]!.GetValue<string>());
        var shown = await cloud.Compute(HttpMethod.Get, "/os-keypairs/spec-generated", "demo");
        Assert.False(shown.Json!["keypair"]!.AsObject().ContainsKey("private_key"));
    }

    [Fact]
    public async Task Import_at_2_2_answers_201_with_type_and_nova_fingerprint()
    {
        var created = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-imported", PublicKey), "2.2");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("ssh", created.Json!["keypair"]!["type"]!.GetValue<string>());
        Assert.False(created.Json["keypair"]!.AsObject().ContainsKey("private_key"));
        Assert.Matches("^([0-9a-f]{2}:){15}[0-9a-f]{2}$", created.Json["keypair"]!["fingerprint"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_wraps_each_key_pair_and_show_has_the_db_fields()
    {
        await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-listed", PublicKey));
        var list = await cloud.Compute(HttpMethod.Get, "/os-keypairs", "demo");
        Assert.Contains(list.Json!["keypairs"]!.AsArray(), k => k!["keypair"]!["name"]!.GetValue<string>() == "spec-listed");
        var shown = await cloud.Compute(HttpMethod.Get, "/os-keypairs/spec-listed", "demo");
        var keypair = shown.Json!["keypair"]!.AsObject();
        foreach (var field in new[] { "name", "public_key", "fingerprint", "user_id", "created_at", "deleted", "id" })
            Assert.True(keypair.ContainsKey(field), $"missing {field}");
    }

    [Fact]
    public async Task A_duplicate_name_is_409()
    {
        await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-dup", PublicKey));
        var again = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-dup", PublicKey));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.NotNull(again.Json!["conflictingRequest"]);
    }

    [Fact]
    public async Task Delete_answers_202_at_2_1_and_204_from_2_2_then_show_is_404()
    {
        await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-del-1", PublicKey));
        await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-del-2", PublicKey));
        Assert.Equal(HttpStatusCode.Accepted, (await cloud.Compute(HttpMethod.Delete, "/os-keypairs/spec-del-1", "demo")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await cloud.Compute(HttpMethod.Delete, "/os-keypairs/spec-del-2", "demo", microversion: "2.2")).Status);
        var gone = await cloud.Compute(HttpMethod.Get, "/os-keypairs/spec-del-1", "demo");
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.NotNull(gone.Json!["itemNotFound"]);
    }

    [Fact]
    public async Task From_2_92_the_public_key_is_required()
    {
        var response = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-292"), "2.92");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("public_key", response.Json!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_public_key_that_is_not_one_is_400()
    {
        var response = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("spec-garbage", "not a key"));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task A_boot_with_the_key_name_shows_it()
    {
        await cloud.Compute(HttpMethod.Post, "/os-keypairs", "admin", Body("spec-bootkey", PublicKey));
        var body = RestCloud.BootBody("spec-with-key");
        body["server"]!["key_name"] = "spec-bootkey";
        var created = await cloud.Compute(HttpMethod.Post, "/servers", body: body);
        var id = created.Json!["server"]!["id"]!.GetValue<string>();
        var shown = await cloud.Compute(HttpMethod.Get, $"/servers/{id}");
        Assert.Equal("spec-bootkey", shown.Json!["server"]!["key_name"]!.GetValue<string>());
    }
}
