using System.Net;
using System.Text.Json.Nodes;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>
/// Nova's metadata API (port 8775) as the metadata proxy calls it: only a request whose X-Instance-ID is signed with
/// the shared secret is answered, and the answer is that instance's own view.
/// </summary>
[Collection(RestCloudCollection.Name)]
public sealed class MetadataSpecs(RestCloud cloud)
{
    private Task<ApiResponse> Get(string path, params (string, string)[] headers) =>
        cloud.Send(HttpMethod.Get, cloud.Server.Urls.Metadata + path, null, null, headers);

    private static (string, string)[] Signed(string id, string secret = RestCloud.MetadataSecret) =>
        [("X-Instance-ID", id), ("X-Instance-ID-Signature", MetadataProxy.Sign(secret, id))];

    [Fact]
    public async Task A_signed_request_gets_the_instances_own_ec2_and_openstack_metadata()
    {
        var id = await cloud.ActiveServer("md-own");
        var show = (await cloud.Compute(HttpMethod.Get, $"/servers/{id}")).Json!["server"]!;
        var number = Convert.ToInt64(show["OS-EXT-SRV-ATTR:instance_name"]!.GetValue<string>()["instance-".Length..], 16);

        Assert.Equal($"i-{number:x8}", (await Get("/2009-04-04/meta-data/instance-id", Signed(id))).Text);
        Assert.Equal("md-own.novalocal", (await Get("/latest/meta-data/local-hostname", Signed(id))).Text);
        Assert.Contains("instance-id", (await Get("/2009-04-04/meta-data/", Signed(id))).Text);
        var metaData = JsonNode.Parse((await Get("/openstack/latest/meta_data.json", Signed(id))).Text)!;
        Assert.Equal(id, metaData["uuid"]!.GetValue<string>());
        var networkData = JsonNode.Parse((await Get("/openstack/latest/network_data.json", Signed(id))).Text)!;
        Assert.Equal("ipv4_dhcp", networkData["networks"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Get("/openstack/latest/user_data", Signed(id))).Status);
        // What cloud-init's OpenStack datasource asks first, with and without the slash.
        foreach (var root in new[] { "/openstack", "/openstack/" })
        {
            var versions = await Get(root, Signed(id));
            Assert.Equal(HttpStatusCode.OK, versions.Status);
            Assert.Contains("2018-08-27", versions.Text);
        }
        Assert.Equal(HttpStatusCode.OK, (await Get("/", Signed(id))).Status);
    }

    [Fact]
    public async Task User_data_given_at_boot_is_stored_shown_to_admins_and_served_decoded_to_the_instance()
    {
        const string cloudConfig = "#cloud-config\nwrite_files:\n- path: /etc/cloud-actors\n  content: hola\n";
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(cloudConfig));
        var body = RestCloud.BootBody("md-user-data");
        body["server"]!["user_data"] = encoded;
        var created = await cloud.Compute(HttpMethod.Post, "/servers", body: body);
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var id = created.Json!["server"]!["id"]!.GetValue<string>();

        Assert.Equal(encoded, (await cloud.Compute(HttpMethod.Get, $"/servers/{id}", microversion: "2.3")).Json!["server"]!["OS-EXT-SRV-ATTR:user_data"]!.GetValue<string>());
        Assert.Equal(cloudConfig, (await Get("/openstack/latest/user_data", Signed(id))).Text);
        Assert.Equal(cloudConfig, (await Get("/2009-04-04/user-data", Signed(id))).Text);
        Assert.Contains("user_data", (await Get("/openstack/latest", Signed(id))).Text);
    }

    [Theory]
    [InlineData("\"not base64!\"")]
    [InlineData("5")]
    public async Task User_data_that_is_not_base64_text_is_refused_naming_the_field(string given)
    {
        var body = RestCloud.BootBody("md-user-data-bad");
        body["server"]!["user_data"] = JsonNode.Parse(given);
        var refused = await cloud.Compute(HttpMethod.Post, "/servers", body: body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("user_data", refused.Text);
    }

    [Fact]
    public async Task Unsigned_or_badly_signed_requests_and_unknown_instances_are_refused()
    {
        var id = await cloud.ActiveServer("md-refused");
        Assert.Equal(HttpStatusCode.BadRequest, (await Get("/2009-04-04/meta-data/instance-id")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get("/2009-04-04/meta-data/instance-id", Signed(id, "not-the-secret"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await Get("/2009-04-04/meta-data/instance-id", ("X-Instance-ID", id), ("X-Instance-ID-Signature", MetadataProxy.Sign(RestCloud.MetadataSecret, Guid.NewGuid().ToString())))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get("/2009-04-04/meta-data/instance-id", Signed(Guid.NewGuid().ToString()))).Status);
        Assert.Equal(HttpStatusCode.NotFound,
            (await Get("/2009-04-04/meta-data/instance-id", [.. Signed(id), ("X-Tenant-ID", "another-project")])).Status);
    }
}
