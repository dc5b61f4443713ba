using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Virt.Images;
using Cloud.Actors.Virt.Networking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest.Metadata;

/// <summary>
/// Nova's metadata API (nova-api-metadata, port 8775) behind Neutron's metadata proxy: the proxy names the instance in
/// X-Instance-ID and signs it in X-Instance-ID-Signature (hex HMAC-SHA256 with metadata_proxy_shared_secret); a request
/// without a valid signature is refused, so only the proxy, which identifies guests by their address, can ask. The
/// answer is the instance's own view: the EC2 tree (/2009-04-04/meta-data/..., /latest/...) and the OpenStack files
/// (/openstack/latest/meta_data.json, network_data.json, user_data).
/// </summary>
public sealed class MetadataEndpoints(NovaService nova, string sharedSecret)
{
    /// <summary>The EC2 versions Nova lists at /.</summary>
    private static readonly string[] Ec2Versions = ["1.0", "2007-01-19", "2007-03-01", "2007-08-29", "2007-10-10", "2007-12-15", "2008-02-01", "2008-09-01", "2009-04-04"];

    private static readonly string[] OpenStackVersions = ["2012-08-10", "2013-04-04", "2013-10-17", "2015-10-15", "2016-06-30", "2016-10-06", "2017-02-22", "2018-08-27"];

    /// <summary>As Nova's json.dumps writes them: an SSH key's '+' stays '+'.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Map(WebApplication app)
    {
        app.MapGet("/", () => Text(string.Join('\n', Ec2Versions.Append("latest"))));
        // One route serves /openstack and /openstack/ (routing does not tell them apart; two would be ambiguous).
        app.MapGet("/openstack", () => Text(string.Join('\n', OpenStackVersions.Append("latest"))));
        app.MapGet("/openstack/{version}", (HttpContext http, string version) => OpenStack(http, version, ""));
        app.MapGet("/openstack/{version}/{file}", (HttpContext http, string version, string file) => OpenStack(http, version, file));
        app.MapGet("/{version}", (HttpContext http, string version) => Ec2(http, version, ""));
        app.MapGet("/{version}/{**path}", (HttpContext http, string version, string? path) => Ec2(http, version, path ?? ""));
    }

    private async Task<IResult> OpenStack(HttpContext http, string version, string file)
    {
        if (version != "latest" && !OpenStackVersions.Contains(version)) return NotFound();
        var (metadata, refusal) = await Requester(http);
        if (metadata is null) return refusal!;
        return file.TrimEnd('/') switch
        {
            "" => Text("meta_data.json\nnetwork_data.json\nvendor_data.json\nvendor_data2.json" + (metadata.UserData is null ? "" : "\nuser_data")),
            "meta_data.json" => JsonFile(metadata.OpenStackMetaData()),
            "network_data.json" => JsonFile(metadata.OpenStackNetworkData()),
            "vendor_data.json" or "vendor_data2.json" => JsonFile(new JsonObject()),
            "user_data" when metadata.UserData is { } data => Results.Bytes(data, "text/plain"),
            _ => NotFound(),
        };
    }

    private async Task<IResult> Ec2(HttpContext http, string version, string path)
    {
        if (version != "latest" && !Ec2Versions.Contains(version)) return NotFound();
        var (metadata, refusal) = await Requester(http);
        if (metadata is null) return refusal!;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return Text("meta-data/" + (metadata.UserData is null ? "" : "\nuser-data"));
        if (parts[0] == "user-data" && parts.Length == 1) return metadata.UserData is { } data ? Results.Bytes(data, "text/plain") : NotFound();
        if (parts[0] != "meta-data") return NotFound();
        JsonNode? node = metadata.Ec2MetaData();
        foreach (var part in parts.Skip(1))
        {
            // public-keys/0=miclave lists as its index: the part before '=' is the key.
            node = node is JsonObject o ? o[part.Split('=')[0]] : null;
            if (node is null) return NotFound();
        }
        return node switch
        {
            JsonObject o => Text(string.Join('\n', o.Select(kv => kv.Value is JsonObject child
                ? child["_name"]?.GetValue<string>() ?? kv.Key + "/"
                : kv.Key).Where(k => k != "_name"))),
            JsonArray a => Text(string.Join('\n', a.Select(v => v?.ToString()))),
            _ => Text(node!.ToString()),
        };
    }

    /// <summary>
    /// The instance the proxy vouches for, or Nova's refusal: 400 without the proxy's headers, 403 when the signature
    /// does not match, 404 for an instance that does not exist (or not in the tenant the proxy names).
    /// </summary>
    private async Task<(InstanceMetadata?, IResult?)> Requester(HttpContext http)
    {
        var id = http.Request.Headers["X-Instance-ID"].ToString();
        var signature = http.Request.Headers["X-Instance-ID-Signature"].ToString();
        if (id == "" || signature == "") return (null, Results.Text("X-Instance-ID header is missing from request.", "text/plain", statusCode: 400));
        var expected = Encoding.ASCII.GetBytes(MetadataProxy.Sign(sharedSecret, id));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
            return (null, Results.Text("Invalid proxy request signature.", "text/plain", statusCode: 403));
        try
        {
            var found = await nova.Show(id, RequestContext.ShellAdmin);
            var tenant = http.Request.Headers["X-Tenant-ID"].ToString();
            if (found.State.IsDeleted || (tenant != "" && tenant != found.State.Spec.ProjectId)) return (null, NotFound());
            return (InstanceMetadata.Of(found.State.Spec), null);
        }
        catch (NovaException)
        {
            return (null, NotFound());
        }
    }

    private static IResult NotFound() => Results.Text("404 Not Found\n", "text/plain", statusCode: 404);

    private static IResult Text(string text) => Results.Text(text, "text/plain");

    private static IResult JsonFile(JsonObject data) => Results.Text(data.ToJsonString(Json), "application/json");
}
