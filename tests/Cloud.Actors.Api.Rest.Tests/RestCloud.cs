using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Api.Rest;
using Cloud.Actors.Api.Rest.Identity;
using Cloud.Actors.Controller.Images;
using Cloud.Actors.Node;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>
/// A whole cloud in one actor system (<see cref="InProcessCloud"/>: the scheduler, network, directory and catalog singletons,
/// fake compute hosts compute1 and compute2) behind the real REST server on Kestrel, every service on a free port of
/// 127.0.0.1. Users: admin (admin in project admin), demo (member in demo), alt (member in alt). Image bytes go to the
/// cloud's <see cref="ImageStore"/> in its temporary state directory; uploads are limited to <see cref="MaxImageBytes"/>.
/// </summary>
public class RestCloud : IAsyncLifetime
{
    private readonly IReadOnlyList<(string Host, string Zone)> _hosts;

    public RestCloud() : this([("compute1", "nova"), ("compute2", "nova")])
    {
    }

    /// <param name="hosts">The fake compute hosts and their availability zones.</param>
    protected RestCloud(IReadOnlyList<(string Host, string Zone)> hosts) => _hosts = hosts;

    public const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";
    public const string Cirros = "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed";
    public const string Password = "s3cret-for-specs";
    public const string MetadataSecret = "metadata-s3cret-for-specs";

    /// <summary>Far above max-body-bytes (16 KiB here), as a real image is; small enough to exceed quickly.</summary>
    public const long MaxImageBytes = 6 * 1024 * 1024;

    private InProcessCloud? _cloud;

    public RestServer Server { get; private set; } = null!;
    public NovaService Nova => Cloud.Nova;
    public ImageService Images => Cloud.Images;
    public ImageStore ImageStore => Cloud.ImageStore;
    public InProcessCloud Cloud => _cloud ?? throw new InvalidOperationException("the cloud is not started");
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static IdentityOptions Identity(TimeSpan? expiration = null)
    {
        // Few iterations: the specs log in often, and the hash format, not its cost, is under test.
        var hash = PasswordHash.Create(Password, iterations: 1000);
        return new IdentityOptions("RegionOne", expiration ?? TimeSpan.FromHours(1), "default", "Default",
            [new("0912c80bef254d7b9352632793cf75b9", "admin"), new("d7528db6423e4029902ab06e413dfb9c", "demo"), new("a1b2c3d4e5f60718293a4b5c6d7e8f90", "alt")],
            [new("r-admin", "admin"), new("r-member", "member"), new("r-reader", "reader")],
            [
                new("0f94f0bbcdee4715ba2750502bb0d63f", "admin", hash, "admin",
                    new Dictionary<string, IReadOnlyList<string>> { ["admin"] = ["admin"], ["demo"] = ["admin"] }),
                new("205df75c21554477b91ad6c43912a413", "demo", hash, "demo",
                    new Dictionary<string, IReadOnlyList<string>> { ["demo"] = ["member", "reader"] }),
                new("3eac58ffa2ef43a6aa155ae7575dd93b", "alt", hash, "alt",
                    new Dictionary<string, IReadOnlyList<string>> { ["alt"] = ["member"] }),
            ]);
    }

    public async Task InitializeAsync()
    {
        _cloud = await InProcessCloud.StartAsync(new InProcessCloudOptions { Hosts = _hosts.Select(h => new FakeHost(h.Host, h.Zone)).ToList() });
        var options = new RestOptions
        {
            IdentityPort = 0, ComputePort = 0, ImagePort = 0, NetworkPort = 0, MetadataPort = 0, MetadataSecret = MetadataSecret, MaxBodyBytes = 16 * 1024,
            MaxImageBytes = MaxImageBytes, Identity = Identity(),
        };
        Server = new RestServer(options, new TokenStore(options.Identity), Nova, Images);
        await Server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
        Http.Dispose();
        if (_cloud is not null) await _cloud.DisposeAsync();
    }

    private readonly Dictionary<string, string> _tokens = [];

    /// <summary>A project-scoped token for <paramref name="user"/> (cached: logging in is not what most specs test).</summary>
    public async Task<string> Token(string user, string? project = null)
    {
        project ??= user;
        var key = $"{user}/{project}";
        lock (_tokens)
            if (_tokens.TryGetValue(key, out var cached)) return cached;
        var response = await Send(HttpMethod.Post, $"{Server.Urls.Identity}/v3/auth/tokens", null, PasswordAuth(user, project));
        Assert.Equal(HttpStatusCode.Created, response.Status);
        var token = response.Headers["X-Subject-Token"];
        lock (_tokens) _tokens[key] = token;
        return token;
    }

    public static JsonObject PasswordAuth(string user, string project, string password = Password) => new()
    {
        ["auth"] = new JsonObject
        {
            ["identity"] = new JsonObject
            {
                ["methods"] = new JsonArray("password"),
                ["password"] = new JsonObject
                {
                    ["user"] = new JsonObject { ["name"] = user, ["domain"] = new JsonObject { ["id"] = "default" }, ["password"] = password },
                },
            },
            ["scope"] = new JsonObject
            {
                ["project"] = new JsonObject { ["name"] = project, ["domain"] = new JsonObject { ["id"] = "default" } },
            },
        },
    };

    public Task<ApiResponse> Compute(HttpMethod method, string path, string? user = "admin", JsonNode? body = null, string? microversion = null) =>
        Service(Server.Urls.Compute + "/v2.1" + path, method, user, body, microversion is null ? [] : [("OpenStack-API-Version", $"compute {microversion}")]);

    public Task<ApiResponse> Image(string path, string? user = "admin") => Service(Server.Urls.Image + path, HttpMethod.Get, user, null, []);

    public Task<ApiResponse> Image(HttpMethod method, string path, string? user = "admin", JsonNode? body = null) =>
        Service(Server.Urls.Image + path, method, user, body, []);

    public Task<ApiResponse> Network(string path, string? user = "admin") => Service(Server.Urls.Network + path, HttpMethod.Get, user, null, []);

    public Task<ApiResponse> Network(HttpMethod method, string path, string? user = "admin", JsonNode? body = null) =>
        Service(Server.Urls.Network + path, method, user, body, []);

    private async Task<ApiResponse> Service(string url, HttpMethod method, string? user, JsonNode? body, (string, string)[] headers)
    {
        var token = user is null ? null : await Token(user);
        return await Send(method, url, token, body, headers);
    }

    public async Task<ApiResponse> Send(HttpMethod method, string url, string? token, JsonNode? body, params (string Name, string Value)[] headers) =>
        await SendRaw(method, url, token, body?.ToJsonString(), headers);

    public async Task<ApiResponse> SendRaw(HttpMethod method, string url, string? token, string? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        foreach (var (name, value) in headers.Where(h => !h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
            request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null)
        {
            // application/json unless a Content-Type header is given ("" for none at all).
            request.Content = new StringContent(body, Encoding.UTF8);
            var type = headers.FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value ?? "application/json";
            request.Content.Headers.ContentType = type == "" ? null : MediaTypeHeaderValue.Parse(type);
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0) json = JsonNode.Parse(text);
        var all = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse(response.StatusCode, json, text, all);
    }

    /// <summary>Boots one server through the API and waits until it is ACTIVE; returns its id.</summary>
    public async Task<string> ActiveServer(string name, string user = "admin")
    {
        var created = await Compute(HttpMethod.Post, "/servers", user, BootBody(name));
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var id = created.Json!["server"]!["id"]!.GetValue<string>();
        await WaitForStatus(id, "ACTIVE");
        return id;
    }

    public static JsonObject BootBody(string name) => new()
    {
        ["server"] = new JsonObject
        {
            ["name"] = name,
            ["imageRef"] = Cirros,
            ["flavorRef"] = "1",
            ["networks"] = new JsonArray(new JsonObject { ["uuid"] = Privada }),
        },
    };

    /// <summary>Polls show (as admin) until the server is in <paramref name="status"/> with no task, or is gone ("DELETED").</summary>
    public async Task WaitForStatus(string id, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var shown = await Compute(HttpMethod.Get, $"/servers/{id}");
            if (shown.Status == HttpStatusCode.NotFound && status == "DELETED") return;
            last = shown.Json?["server"]?["status"]?.GetValue<string>();
            if (last == status && shown.Json!["server"]!["OS-EXT-STS:task_state"] is null) return;
            await Task.Delay(25);
        }
        throw new TimeoutException($"server {id} never became {status}; last {last}");
    }
}

public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Json, string Text, IReadOnlyDictionary<string, string> Headers);

[CollectionDefinition(Name)]
public sealed class RestCloudCollection : ICollectionFixture<RestCloud>
{
    public const string Name = "rest cloud";
}
