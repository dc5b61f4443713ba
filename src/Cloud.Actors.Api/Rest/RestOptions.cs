using Akka.Configuration;
using Cloud.Actors.Api.Rest.Identity;

namespace Cloud.Actors.Api.Rest;

/// <summary>Where the OpenStack services listen and how much they accept (HOCON <c>cloud-actors.api</c>).</summary>
public sealed record RestOptions
{
    public bool Enabled { get; init; } = true;
    public string Host { get; init; } = "127.0.0.1";
    public int IdentityPort { get; init; } = 5000;
    public int ComputePort { get; init; } = 8774;
    public int ImagePort { get; init; } = 9292;
    public int NetworkPort { get; init; } = 9696;

    /// <summary>Nova's metadata API (metadata_listen_port); 0 = any free port, -1 = none.</summary>
    public int MetadataPort { get; init; } = 8775;

    /// <summary>Nova's metadata_proxy_shared_secret: what the metadata proxy signs instance ids with.</summary>
    public string MetadataSecret { get; init; } = "";

    /// <summary>Nova's osapi_max_request_body_size: a larger body is refused with 413 before it is parsed.</summary>
    public long MaxBodyBytes { get; init; } = 114688;

    /// <summary>
    /// The largest image upload (PUT /v2/images/{id}/file), which streams to the image store and so may be far
    /// above <see cref="MaxBodyBytes"/>: Glance's image_size_cap, 1 TiB there, 20 GiB here.
    /// </summary>
    public long MaxImageBytes { get; init; } = DefaultMaxImageBytes;

    public const long DefaultMaxImageBytes = 20L * 1024 * 1024 * 1024;

    public required IdentityOptions Identity { get; init; }

    /// <summary>
    /// The directory of the key that seals tokens (keystone's fernet key repository), relative to the node's state
    /// directory; empty keeps the key in memory, so a restart ends every token.
    /// </summary>
    public string TokenKeyRepository { get; init; } = "";

    public static RestOptions FromConfig(Config api) => new()
    {
        Enabled = api.GetBoolean("enabled", true),
        Host = api.GetString("host", "127.0.0.1"),
        IdentityPort = api.GetInt("identity-port", 5000),
        ComputePort = api.GetInt("compute-port", 8774),
        ImagePort = api.GetInt("image-port", 9292),
        NetworkPort = api.GetInt("network-port", 9696),
        MetadataPort = api.GetInt("metadata-port", 8775),
        MetadataSecret = api.GetString("metadata-proxy-shared-secret", ""),
        MaxBodyBytes = api.GetLong("max-body-bytes", 114688),
        MaxImageBytes = api.GetLong("max-image-bytes", DefaultMaxImageBytes),
        Identity = IdentityOptions.FromConfig(api.GetConfig("identity")),
        TokenKeyRepository = api.GetString("identity.key-repository", ""),
    };
}
