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

    [Theory]
    [InlineData("""{"keypair": {"name": "a/b"}}""", "2.2", "unsafe characters")]
    [InlineData("""{"keypair": {"name": "../../etc"}}""", "2.2", "unsafe characters")]
    [InlineData("""{"keypair": {"name": "<img src=x>"}}""", "2.2", "unsafe characters")]
    [InlineData("""{"keypair": {"name": "kp@host.example"}}""", "2.91", "unsafe characters")]
    [InlineData("""{"keypair": {"name": "kp-type", "type": "bogus"}}""", "2.2", "type")]
    [InlineData("""{"keypair": {"name": "kp-field", "colour": "red"}}""", "2.2", "Additional properties")]
    [InlineData("""{"keypair": {"name": "kp-top"}, "extra": 1}""", "2.2", "Additional properties")]
    [InlineData("""{"keypair": {"name": "kp-user", "user_id": "x"}}""", "2.9", "Additional properties")]
    public async Task A_key_pair_nova_refuses_is_400_and_is_not_kept(string json, string microversion, string named)
    {
        var body = JsonNode.Parse(json)!;
        var created = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", body, microversion);
        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Contains(named, created.Json!["badRequest"]!["message"]!.GetValue<string>());
        var listed = (await cloud.Compute(HttpMethod.Get, "/os-keypairs", "demo")).Json!["keypairs"]!.AsArray();
        Assert.DoesNotContain(listed, k => k!["keypair"]!["name"]!.GetValue<string>() == body["keypair"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_long_blob_that_only_looks_like_a_key_is_400()
    {
        // 12 KB of base64 under this cloud's 16 KiB body limit (a larger one is 413: RequestSafetySpecs).
        var blob = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9_000));
        var created = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("kp-fake", $"ssh-rsa {blob} fake"), "2.2");
        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Contains("fingerprint", created.Json!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task From_2_92_a_name_may_hold_at_and_dot_and_an_x509_certificate_is_imported_with_its_sha1_fingerprint()
    {
        Assert.Equal(HttpStatusCode.Created, (await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", Body("kp@host.example", PublicKey), "2.92")).Status);
        await cloud.Compute(HttpMethod.Delete, "/os-keypairs/kp@host.example", "demo", microversion: "2.92");

        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=kp-cert", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var body = Body("kp-cert", certificate.ExportCertificatePem());
        body["keypair"]!["type"] = "x509";
        var created = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", body, "2.2");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var keypair = created.Json!["keypair"]!;
        Assert.Equal("x509", keypair["type"]!.GetValue<string>());
        Assert.Equal(string.Join(':', System.Security.Cryptography.SHA1.HashData(certificate.RawData).Select(b => b.ToString("x2"))),
            keypair["fingerprint"]!.GetValue<string>());
        await cloud.Compute(HttpMethod.Delete, "/os-keypairs/kp-cert", "demo", microversion: "2.2");

        // Without a certificate, as Nova: one is made, and its private key given once.
        var generated = await cloud.Compute(HttpMethod.Post, "/os-keypairs", "demo", JsonNode.Parse("""{"keypair": {"name": "kp-made", "type": "x509"}}"""), "2.2");
        Assert.Equal(HttpStatusCode.Created, generated.Status);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", generated.Json!["keypair"]!["public_key"]!.GetValue<string>());
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", generated.Json["keypair"]!["private_key"]!.GetValue<string>());
        await cloud.Compute(HttpMethod.Delete, "/os-keypairs/kp-made", "demo", microversion: "2.2");
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
