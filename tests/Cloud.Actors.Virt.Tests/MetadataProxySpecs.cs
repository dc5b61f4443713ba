using System.Collections.Concurrent;
using System.Net;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Virt.Tests;

/// <summary>
/// The metadata proxy in a real namespace (root, as CI runs): a guest's request at 169.254.169.254 reaches the metadata
/// API signed for the instance its source address belongs to; an unknown address gets 404 and reaches nothing; a path
/// can never send the signed request to another host. The API is a listener on loopback that records what it gets.
/// </summary>
public sealed class MetadataProxySpecs : IAsyncLifetime
{
    private const string Secret = "proxy-spec-secret";
    private readonly string _ns = "mdspec-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Guid _instance = Guid.NewGuid();
    private readonly HttpListener _api = new();
    private readonly ConcurrentQueue<HttpListenerRequest> _received = new();
    private readonly HttpClient _http = new();
    private MetadataProxy? _proxy;
    private int _port;

    public async Task InitializeAsync()
    {
        RequiredTool.Find("curl", "curl");
        Assert.True(Environment.UserName == "root", "the proxy specs make a network namespace: run them as root, as CI does");
        Assert.Equal(0, (await HostCommand.RunAsync("ip", "netns", "add", _ns)).Code);
        // A veth pair inside the namespace (no dummy module here): the guests' addresses and the metadata address on one end.
        foreach (var command in new[]
                 {
                     new[] { "-n", _ns, "link", "set", "lo", "up" },
                     ["-n", _ns, "link", "add", "guest0", "type", "veth", "peer", "name", "guest1"],
                     ["-n", _ns, "link", "set", "guest0", "up"],
                     ["-n", _ns, "link", "set", "guest1", "up"],
                     ["-n", _ns, "addr", "add", "10.9.9.5/24", "dev", "guest0"],
                     ["-n", _ns, "addr", "add", "10.9.9.6/24", "dev", "guest0"],
                     ["-n", _ns, "addr", "add", "169.254.169.254/32", "dev", "guest0"],
                 })
        {
            var (code, output) = await HostCommand.RunAsync("ip", command);
            Assert.True(code == 0, $"ip {string.Join(' ', command)}: {output}");
        }

        _port = Random.Shared.Next(20000, 30000);
        _api.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _api.Start();
        _ = Task.Run(async () =>
        {
            while (_api.IsListening)
            {
                HttpListenerContext context;
                try { context = await _api.GetContextAsync(); }
                catch (Exception) { return; }
                _received.Enqueue(context.Request);
                var body = "answer for " + context.Request.Headers["X-Instance-ID"] + " at " + context.Request.RawUrl;
                var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                context.Response.ContentType = "text/plain";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
        _proxy = new MetadataProxy(_ns, "net-1",
            (network, address) => network == "net-1" && address == "10.9.9.5" ? new MetadataRequester(_instance, "project-1") : null,
            _http, new Uri($"http://127.0.0.1:{_port}/"), Secret);
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null) await _proxy.DisposeAsync();
        _api.Stop();
        _http.Dispose();
        await HostCommand.RunAsync("ip", "netns", "del", _ns);
    }

    private Task<(int Code, string Output)> Curl(string from, string path) =>
        HostCommand.RunAsync("ip", "netns", "exec", _ns, "curl", "-s", "-m", "10", "--path-as-is", "--interface", from, "-w", "\n%{http_code}", $"http://169.254.169.254{path}");

    [Fact]
    public async Task A_guests_request_reaches_the_api_signed_for_its_instance()
    {
        var (_, output) = await Curl("10.9.9.5", "/2009-04-04/meta-data/instance-id");
        Assert.EndsWith("\n200", output);
        Assert.Contains($"answer for {_instance} at /2009-04-04/meta-data/instance-id", output);
        var request = Assert.Single(_received);
        Assert.Equal(_instance.ToString(), request.Headers["X-Instance-ID"]);
        Assert.Equal("project-1", request.Headers["X-Tenant-ID"]);
        Assert.Equal(MetadataProxy.Sign(Secret, _instance.ToString()), request.Headers["X-Instance-ID-Signature"]);
        Assert.Equal("10.9.9.5", request.Headers["X-Forwarded-For"]);
    }

    [Fact]
    public async Task An_unknown_address_gets_404_and_nothing_is_forwarded()
    {
        var (_, output) = await Curl("10.9.9.6", "/latest/meta-data/");
        Assert.EndsWith("\n404", output);
        Assert.Empty(_received);
    }

    [Fact]
    public async Task A_path_that_looks_like_another_host_stays_a_path_on_the_api()
    {
        var (_, output) = await Curl("10.9.9.5", "//example.invalid/x");
        Assert.Contains("at //example.invalid/x", output);
        Assert.Equal("//example.invalid/x", Assert.Single(_received).RawUrl);
    }
}
