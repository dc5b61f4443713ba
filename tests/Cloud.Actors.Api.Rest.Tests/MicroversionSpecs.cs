using System.Net;
using Cloud.Actors.Api.Rest.Compute;

namespace Cloud.Actors.Api.Rest.Tests;

[Collection(RestCloudCollection.Name)]
public sealed class MicroversionSpecs(RestCloud cloud)
{
    [Fact]
    public async Task Without_a_header_the_answer_is_at_2_1_and_says_so()
    {
        var response = await cloud.Compute(HttpMethod.Get, "/flavors");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("compute 2.1", response.Headers["OpenStack-API-Version"]);
        Assert.Equal("2.1", response.Headers["X-OpenStack-Nova-API-Version"]);
        Assert.Contains("OpenStack-API-Version", response.Headers["Vary"]);
        Assert.Contains("X-OpenStack-Nova-API-Version", response.Headers["Vary"]);
    }

    [Fact]
    public async Task Latest_is_the_maximum()
    {
        var response = await cloud.Compute(HttpMethod.Get, "/flavors", microversion: "latest");
        Assert.Equal($"compute {ApiVersion.Max}", response.Headers["OpenStack-API-Version"]);
    }

    [Fact]
    public async Task The_legacy_header_is_honoured_when_the_new_one_is_absent()
    {
        var response = await cloud.Send(HttpMethod.Get, $"{cloud.Server.Urls.Compute}/v2.1/flavors", await cloud.Token("admin"), null,
            ("X-OpenStack-Nova-API-Version", "2.60"));
        Assert.Equal("compute 2.60", response.Headers["OpenStack-API-Version"]);
    }

    [Fact]
    public async Task The_new_header_wins_over_the_legacy_one()
    {
        var response = await cloud.Send(HttpMethod.Get, $"{cloud.Server.Urls.Compute}/v2.1/flavors", await cloud.Token("admin"), null,
            ("X-OpenStack-Nova-API-Version", "2.60"), ("OpenStack-API-Version", "image 2.5, compute 2.70"));
        Assert.Equal("2.70", response.Headers["X-OpenStack-Nova-API-Version"]);
    }

    [Theory]
    [InlineData("2.94")]
    [InlineData("2.0")]
    [InlineData("3.0")]
    public async Task A_version_out_of_range_is_406(string version)
    {
        var response = await cloud.Compute(HttpMethod.Get, "/flavors", microversion: version);
        Assert.Equal(HttpStatusCode.NotAcceptable, response.Status);
        Assert.Equal($"Version {version} is not supported by the API. Minimum is 2.1 and maximum is {ApiVersion.Max}.",
            response.Json!["computeFault"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("two")]
    [InlineData("2.01")]
    [InlineData("2")]
    public async Task A_malformed_version_is_400(string version)
    {
        var response = await cloud.Compute(HttpMethod.Get, "/flavors", microversion: version);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("is of invalid format", response.Json!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Version_discovery_needs_no_token_and_names_the_range()
    {
        var root = await cloud.Send(HttpMethod.Get, cloud.Server.Urls.Compute + "/", null, null);
        Assert.Equal(HttpStatusCode.OK, root.Status);
        var v21 = root.Json!["versions"]![0]!;
        Assert.Equal("v2.1", v21["id"]!.GetValue<string>());
        Assert.Equal("2.1", v21["min_version"]!.GetValue<string>());
        Assert.Equal(ApiVersion.Max.ToString(), v21["version"]!.GetValue<string>());
        var doc = await cloud.Send(HttpMethod.Get, cloud.Server.Urls.Compute + "/v2.1", null, null);
        Assert.Equal(HttpStatusCode.OK, doc.Status);
        Assert.Equal("CURRENT", doc.Json!["version"]!["status"]!.GetValue<string>());
    }
}
