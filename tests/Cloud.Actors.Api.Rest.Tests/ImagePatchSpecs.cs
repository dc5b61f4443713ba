using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>
/// Glance's image update (PATCH /v2/images/{id} with a JSON patch, what <c>openstack image set</c> sends): the
/// attributes that may change, those that may not, properties, who may, and a refused patch changing nothing.
/// </summary>
[Collection(RestCloudCollection.Name)]
public sealed class ImagePatchSpecs(RestCloud cloud)
{
    private const string JsonPatch = "application/openstack-images-v2.1-json-patch";

    private async Task<string> NewImage(string user, string name)
    {
        var created = await cloud.Image(HttpMethod.Post, "/v2/images", user, new JsonObject
        {
            ["name"] = name, ["disk_format"] = "raw", ["container_format"] = "bare", ["os_distro"] = "debian",
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Json!["id"]!.GetValue<string>();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Json, string Text)> Patch(string id, string user, string body, string mediaType = JsonPatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{cloud.Server.Urls.Image}/v2/images/{id}")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Add("X-Auth-Token", await cloud.Token(user));
        using var response = await cloud.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(text) : null, text);
    }

    private async Task<JsonNode> Shown(string id) => (await cloud.Image($"/v2/images/{id}", "admin")).Json!;

    [Fact]
    public async Task A_patch_changes_name_visibility_sizes_tags_and_properties_in_order()
    {
        var id = await NewImage("demo", "antes");

        var patched = await Patch(id, "demo", """
            [
              {"op": "replace", "path": "/name", "value": "después <&> \"ñ\""},
              {"op": "replace", "path": "/visibility", "value": "private"},
              {"op": "replace", "path": "/min_disk", "value": 2},
              {"op": "add", "path": "/min_ram", "value": 256},
              {"op": "replace", "path": "/tags", "value": ["a", "b", "a"]},
              {"op": "add", "path": "/hw_disk~1bus", "value": "virtio"},
              {"op": "add", "path": "/tmp", "value": "x"},
              {"op": "remove", "path": "/tmp"},
              {"op": "replace", "path": "/os_distro", "value": "cirros"},
              {"op": "replace", "path": "/disk_format", "value": "qcow2"}
            ]
            """);

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        var image = await Shown(id);
        Assert.Equal("después <&> \"ñ\"", image["name"]!.GetValue<string>());
        Assert.Equal(("private", 2, 256, "qcow2"), (image["visibility"]!.GetValue<string>(), image["min_disk"]!.GetValue<int>(),
            image["min_ram"]!.GetValue<int>(), image["disk_format"]!.GetValue<string>()));
        Assert.Equal(["a", "b"], image["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(("virtio", "cirros"), (image["hw_disk/bus"]!.GetValue<string>(), image["os_distro"]!.GetValue<string>()));
        Assert.Null(image["tmp"]);
        Assert.Equal(patched.Json!.ToJsonString(), image.ToJsonString());
    }

    public static TheoryData<string, HttpStatusCode, string> RefusedPatches => new()
    {
        // the last operation is the bad one; the first renames, so a partial apply would show
        { """{"op": "replace", "path": "/status", "value": "active"}""", HttpStatusCode.Forbidden, "Attribute 'status' is read-only." },
        { """{"op": "replace", "path": "/id", "value": "x"}""", HttpStatusCode.Forbidden, "read-only" },
        { """{"op": "remove", "path": "/name"}""", HttpStatusCode.Forbidden, "cannot be removed" },
        { """{"op": "replace", "path": "/nope", "value": "x"}""", HttpStatusCode.Conflict, "Property nope does not exist." },
        { """{"op": "remove", "path": "/nope"}""", HttpStatusCode.Conflict, "Property nope does not exist." },
        { """{"op": "replace", "path": "/min_disk", "value": "2"}""", HttpStatusCode.BadRequest, "min_disk" },
        { """{"op": "replace", "path": "/min_ram", "value": -1}""", HttpStatusCode.BadRequest, "min_ram" },
        { """{"op": "replace", "path": "/visibility", "value": "everyone"}""", HttpStatusCode.BadRequest, "visibility" },
        { """{"op": "replace", "path": "/visibility", "value": "public"}""", HttpStatusCode.Forbidden, "publicize_image" },
        { """{"op": "replace", "path": "/name", "value": 5}""", HttpStatusCode.BadRequest, "name" },
        { """{"op": "add", "path": "/os_distro", "value": 5}""", HttpStatusCode.BadRequest, "os_distro" },
        { """{"op": "replace", "path": "/tags", "value": "a"}""", HttpStatusCode.BadRequest, "tags" },
        { """{"op": "replace", "path": "/protected", "value": true}""", HttpStatusCode.BadRequest, "Protected images are not supported" },
        { """{"op": "replace", "path": "/owner", "value": "alt"}""", HttpStatusCode.Forbidden, "owner" },
        { """{"op": "move", "path": "/name", "from": "/x"}""", HttpStatusCode.BadRequest, "add, remove, replace" },
        { """{"op": "replace", "path": "/a/b", "value": "x"}""", HttpStatusCode.BadRequest, "Invalid JSON pointer" },
        { """{"op": "replace", "path": "name", "value": "x"}""", HttpStatusCode.BadRequest, "Invalid JSON pointer" },
        { """{"op": "replace", "path": "/name"}""", HttpStatusCode.BadRequest, "requires a member named \"value\"" },
        { """{"path": "/name", "value": "x"}""", HttpStatusCode.BadRequest, "a string member named \"op\"" },
        { "7", HttpStatusCode.BadRequest, "JSON objects" },
    };

    [Theory]
    [MemberData(nameof(RefusedPatches))]
    public async Task A_refused_patch_names_what_is_wrong_and_changes_nothing(string operation, HttpStatusCode status, string message)
    {
        var id = await NewImage("demo", "intacta");
        var before = (await Shown(id)).ToJsonString();

        var refused = await Patch(id, "demo", $$"""[{"op": "replace", "path": "/name", "value": "cambiada"}, {{operation}}]""");

        Assert.Equal(status, refused.Status);
        Assert.Contains(WebUtility(message), refused.Text);
        Assert.Equal(before, (await Shown(id)).ToJsonString());
    }

    [Fact]
    public async Task The_formats_change_only_while_the_image_is_queued()
    {
        var id = await NewImage("demo", "con-datos");
        using var upload = new HttpRequestMessage(HttpMethod.Put, $"{cloud.Server.Urls.Image}/v2/images/{id}/file")
        {
            Content = new ByteArrayContent([1, 2, 3]),
        };
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        upload.Headers.Add("X-Auth-Token", await cloud.Token("demo"));
        Assert.Equal(HttpStatusCode.NoContent, (await cloud.Http.SendAsync(upload)).StatusCode);

        var refused = await Patch(id, "demo", """[{"op": "replace", "path": "/disk_format", "value": "qcow2"}]""");

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("can be only replaced for a queued image", refused.Text);
        Assert.Equal("raw", (await Shown(id))["disk_format"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_may_patch_and_others_do_not_see_a_private_image_at_all()
    {
        var id = await NewImage("demo", "de-demo");
        const string rename = """[{"op": "replace", "path": "/name", "value": "ajena"}]""";

        Assert.Equal(HttpStatusCode.NotFound, (await Patch(id, "alt", rename)).Status);
        var publicImage = await Patch(RestCloud.Cirros, "demo", rename);
        Assert.Equal(HttpStatusCode.Forbidden, publicImage.Status);
        Assert.Contains("modify_image", publicImage.Text);
        Assert.Equal("cirros", (await Shown(RestCloud.Cirros))["name"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await Patch(id, "admin", """[{"op": "replace", "path": "/visibility", "value": "public"}]""")).Status);
        Assert.Equal("public", (await Shown(id))["visibility"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_patch_that_is_not_a_json_patch_is_415_and_an_unknown_image_404()
    {
        var id = await NewImage("demo", "tipo");

        var plain = await Patch(id, "demo", """[{"op": "replace", "path": "/name", "value": "x"}]""", "application/json");
        var missing = await Patch(Guid.NewGuid().ToString(), "demo", """[{"op": "replace", "path": "/name", "value": "x"}]""");

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, HttpStatusCode.NotFound), (plain.Status, missing.Status));
        Assert.Equal("tipo", (await Shown(id))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_v2_0_media_type_names_the_path_under_its_operation_and_adding_what_is_there_is_409()
    {
        // Tempest's own image client sends this one.
        const string V20 = "application/openstack-images-v2.0-json-patch";
        var id = await NewImage("demo", "antigua");

        var patched = await Patch(id, "demo", """[{"replace": "/name", "value": "nueva"}, {"add": "/so", "value": "debian"}]""", V20);
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        var again = await Patch(id, "demo", """[{"add": "/so", "value": "otra"}]""", V20);
        var both = await Patch(id, "demo", """[{"add": "/x", "replace": "/name", "value": "y"}]""", V20);
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.BadRequest), (again.Status, both.Status));
        var removed = await Patch(id, "demo", """[{"remove": "/so"}]""", V20);
        Assert.Equal(HttpStatusCode.OK, removed.Status);
        var image = await Shown(id);
        Assert.Equal(("nueva", null), (image["name"]!.GetValue<string>(), image["so"]));
    }

    /// <summary>Glance's error pages escape only what would break the markup.</summary>
    private static string WebUtility(string message) => message.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
