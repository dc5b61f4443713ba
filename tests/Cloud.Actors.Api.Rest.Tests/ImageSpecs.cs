using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>Image v2 create, upload, download and delete; Glance's default policies and the upload's own body limit.</summary>
[Collection(RestCloudCollection.Name)]
public sealed class ImageSpecs(RestCloud cloud)
{
    [Fact]
    public async Task An_image_is_created_uploaded_downloaded_and_deleted()
    {
        // Far above max-body-bytes: only the upload's own limit applies.
        var bytes = RandomBytes(3 * 1024 * 1024 + 4321);
        var created = await Create("demo", new JsonObject
        {
            ["name"] = "mi-imagen", ["disk_format"] = "qcow2", ["container_format"] = "bare", ["min_disk"] = 1,
            ["tags"] = new JsonArray("uno"), ["os_distro"] = "cirros",
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json!["id"]!.GetValue<string>();
        Assert.Equal("queued", created.Json["status"]!.GetValue<string>());
        Assert.Null(created.Json["size"]);
        Assert.Equal("shared", created.Json["visibility"]!.GetValue<string>());
        Assert.Equal("d7528db6423e4029902ab06e413dfb9c", created.Json["owner"]!.GetValue<string>());
        Assert.Equal("cirros", created.Json["os_distro"]!.GetValue<string>());
        Assert.EndsWith($"/v2/images/{id}", created.Headers["Location"]);

        var uploaded = await Upload(id, "demo", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.NoContent, uploaded);

        var shown = await cloud.Image($"/v2/images/{id}", "demo");
        Assert.Equal("active", shown.Json!["status"]!.GetValue<string>());
        Assert.Equal(bytes.Length, shown.Json["size"]!.GetValue<long>());
        var md5 = Convert.ToHexStringLower(MD5.HashData(bytes));
        Assert.Equal(md5, shown.Json["checksum"]!.GetValue<string>());
        Assert.Equal(["uno"], shown.Json["tags"]!.AsArray().Select(t => t!.GetValue<string>()));

        using (var download = await Download(id, "demo"))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            // .NET types Content-MD5 as base64; Glance sends hex, so read it unvalidated.
            Assert.Equal(md5, download.Content.Headers.NonValidated["Content-MD5"].ToString());
            Assert.Equal(bytes.Length, download.Content.Headers.ContentLength);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await cloud.Image(HttpMethod.Delete, $"/v2/images/{id}", "demo")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Image($"/v2/images/{id}", "demo")).Status);
        Assert.Null(cloud.ImageStore.Find(id));
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Image(HttpMethod.Delete, $"/v2/images/{id}", "demo")).Status);
    }

    [Fact]
    public async Task Uploading_to_an_active_image_is_409_and_keeps_its_bytes()
    {
        var id = await QueuedImage("admin", "dos-veces");
        Assert.Equal(HttpStatusCode.NoContent, await Upload(id, "admin", new ByteArrayContent(RandomBytes(1000))));
        var before = cloud.ImageStore.Find(id);

        Assert.Equal(HttpStatusCode.Conflict, await Upload(id, "admin", new ByteArrayContent(RandomBytes(2000))));

        var after = cloud.ImageStore.Find(id);
        Assert.Equal(before!.Checksum, after!.Checksum);
        Assert.Equal(1000, (await cloud.Image($"/v2/images/{id}")).Json!["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_server_boots_only_from_an_active_image_its_project_may_see()
    {
        var privateToAdmin = await QueuedImage("admin", "solo-admin");
        Assert.Equal(HttpStatusCode.NoContent, await Upload(privateToAdmin, "admin", new ByteArrayContent(RandomBytes(1000))));
        var queued = await QueuedImage("demo", "sin-datos");

        var foreign = await cloud.Compute(HttpMethod.Post, "/servers", "demo", BootFrom(privateToAdmin, "ajena"));
        var empty = await cloud.Compute(HttpMethod.Post, "/servers", "demo", BootFrom(queued, "vacia"));

        // Another project's private image is as unknown to demo as a missing one; a queued one has no data to boot.
        Assert.Equal(HttpStatusCode.BadRequest, foreign.Status);
        Assert.Contains($"Image {privateToAdmin} could not be found", foreign.Json!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Contains($"Image {queued} is not active", empty.Json!["badRequest"]!["message"]!.GetValue<string>());
        var servers = (await cloud.Compute(HttpMethod.Get, "/servers", "demo")).Json!["servers"]!.AsArray();
        Assert.DoesNotContain(servers, s => s!["name"]!.GetValue<string>() is "ajena" or "vacia");
    }

    private static JsonObject BootFrom(string imageId, string name)
    {
        var body = RestCloud.BootBody(name);
        body["server"]!["imageRef"] = imageId;
        return body;
    }

    [Fact]
    public async Task A_queued_image_downloads_as_204()
    {
        var id = await QueuedImage("demo", "vacia");
        using var download = await Download(id, "demo");
        Assert.Equal(HttpStatusCode.NoContent, download.StatusCode);
    }

    [Theory]
    [InlineData("disk_format", "\"qcow3\"", "disk_format")]
    [InlineData("container_format", "\"box\"", "container_format")]
    [InlineData("visibility", "\"everyone\"", "visibility")]
    [InlineData("min_disk", "\"ten\"", "min_disk")]
    [InlineData("min_ram", "-1", "min_ram")]
    [InlineData("id", "\"not-a-uuid\"", "id")]
    [InlineData("tags", "\"uno\"", "tags")]
    [InlineData("hw_disk_bus", "3", "hw_disk_bus")]
    public async Task An_invalid_field_is_400_naming_it_and_creates_nothing(string field, string value, string named)
    {
        var body = new JsonObject { ["name"] = $"mala-{field}", ["disk_format"] = "raw", ["container_format"] = "bare" };
        body[field] = JsonNode.Parse(value);

        var created = await Create("demo", body);

        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Contains($"['{named}']", created.Text);
        Assert.Empty((await cloud.Image($"/v2/images?name=mala-{field}", "admin")).Json!["images"]!.AsArray());
    }

    [Fact]
    public async Task Setting_a_read_only_attribute_is_403()
    {
        var created = await Create("demo", new JsonObject { ["name"] = "lista", ["status"] = "active" });
        Assert.Equal(HttpStatusCode.Forbidden, created.Status);
        Assert.Contains("'status' is read-only", created.Text);
    }

    [Fact]
    public async Task A_member_cannot_publicize_an_image_but_an_admin_can()
    {
        var refused = await Create("demo", new JsonObject { ["name"] = "publica-demo", ["visibility"] = "public" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("publicize_image", refused.Text);
        Assert.Empty((await cloud.Image("/v2/images?name=publica-demo", "admin")).Json!["images"]!.AsArray());

        var allowed = await Create("admin", new JsonObject { ["name"] = "publica-admin", ["visibility"] = "public" });
        Assert.Equal(HttpStatusCode.Created, allowed.Status);
        var id = allowed.Json!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await cloud.Image($"/v2/images/{id}", "demo")).Status);
        // Seen, but not the member's to delete.
        Assert.Equal(HttpStatusCode.Forbidden, (await cloud.Image(HttpMethod.Delete, $"/v2/images/{id}", "demo")).Status);
    }

    [Fact]
    public async Task Another_projects_private_image_is_invisible_and_cannot_be_deleted()
    {
        var created = await Create("admin", new JsonObject { ["name"] = "privada-admin", ["visibility"] = "private" });
        var id = created.Json!["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Image($"/v2/images/{id}", "demo")).Status);
        Assert.DoesNotContain((await cloud.Image("/v2/images", "demo")).Json!["images"]!.AsArray(), i => i!["id"]!.GetValue<string>() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.Image(HttpMethod.Delete, $"/v2/images/{id}", "demo")).Status);
        Assert.Equal(HttpStatusCode.NotFound, await Upload(id, "demo", new ByteArrayContent(RandomBytes(10))));
        Assert.Equal(HttpStatusCode.OK, (await cloud.Image($"/v2/images/{id}", "admin")).Status);
        // The seeded image is public and the cloud's: every project sees it, no member deletes it.
        Assert.Equal(HttpStatusCode.Forbidden, (await cloud.Image(HttpMethod.Delete, $"/v2/images/{RestCloud.Cirros}", "demo")).Status);
    }

    [Fact]
    public async Task An_upload_over_max_image_bytes_is_413_and_leaves_the_image_queued_with_no_bytes()
    {
        var id = await QueuedImage("demo", "demasiado");

        var status = await Upload(id, "demo", new ByteArrayContent(RandomBytes((int)RestCloud.MaxImageBytes + 1)), expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        await AssertQueuedAndEmpty(id);
    }

    [Fact]
    public async Task A_chunked_upload_that_grows_over_max_image_bytes_is_413_and_leaves_nothing()
    {
        var id = await QueuedImage("demo", "sin-longitud");
        // No Content-Length: the limit is only found out while the bytes stream into the store.
        var content = new StreamContent(new MemoryStream(RandomBytes((int)RestCloud.MaxImageBytes + 64 * 1024)));
        content.Headers.ContentLength = null;

        HttpStatusCode? status = null;
        try
        {
            status = await Upload(id, "demo", content, chunked: true);
        }
        catch (HttpRequestException)
        {
            // Kestrel may close the connection before the client has read the 413: the state is what matters.
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"status {status}");
        await AssertQueuedAndEmpty(id);
    }

    [Fact]
    public async Task An_upload_that_is_not_octet_stream_is_415()
    {
        var id = await QueuedImage("demo", "json-no");
        var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await Upload(id, "demo", content));
    }

    private async Task AssertQueuedAndEmpty(string id)
    {
        var shown = await cloud.Image($"/v2/images/{id}", "demo");
        Assert.Equal("queued", shown.Json!["status"]!.GetValue<string>());
        Assert.Null(cloud.ImageStore.Find(id));
        Assert.Empty(Directory.EnumerateFiles(cloud.ImageStore.Path, $"{id}*"));
    }

    private Task<ApiResponse> Create(string user, JsonObject body) => cloud.Image(HttpMethod.Post, "/v2/images", user, body);

    private async Task<string> QueuedImage(string user, string name)
    {
        var created = await Create(user, new JsonObject { ["name"] = name, ["disk_format"] = "raw", ["container_format"] = "bare" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Json!["id"]!.GetValue<string>();
    }

    private async Task<HttpStatusCode> Upload(string id, string user, HttpContent content, bool expectContinue = false, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{cloud.Server.Urls.Image}/v2/images/{id}/file") { Content = content };
        request.Headers.Add("X-Auth-Token", await cloud.Token(user));
        if (content.Headers.ContentType is null) content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // With Expect: 100-continue the server refuses on the headers alone and the client never sends the body.
        if (expectContinue) request.Headers.ExpectContinue = true;
        if (chunked) request.Headers.TransferEncodingChunked = true;
        using var response = await cloud.Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> Download(string id, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{cloud.Server.Urls.Image}/v2/images/{id}/file");
        request.Headers.Add("X-Auth-Token", await cloud.Token(user));
        return await cloud.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
