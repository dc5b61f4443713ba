using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>The catalog a token carries: identity, compute, image and network, each public/internal/admin at the same URL.</summary>
public static class ServiceCatalog
{
    public static JsonArray Build(ServiceUrls urls, string region) =>
    [
        Service("identity", "keystone", $"{urls.Identity}/v3", region),
        Service("compute", "nova", $"{urls.Compute}/v2.1", region),
        Service("image", "glance", urls.Image, region),
        Service("network", "neutron", urls.Network, region),
    ];

    private static JsonObject Service(string type, string name, string url, string region) => new()
    {
        ["id"] = StableId(type),
        ["type"] = type,
        ["name"] = name,
        ["endpoints"] = new JsonArray(new[] { "public", "internal", "admin" }.Select(i => (JsonNode)new JsonObject
        {
            ["id"] = StableId($"{type}/{i}"),
            ["interface"] = i,
            ["region_id"] = region,
            ["region"] = region,
            ["url"] = url,
        }).ToArray()),
    };

    // The ids only need to stay the same from one token to the next; keystone's are uuid4 hex.
    private static string StableId(string key) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(key)));
}
