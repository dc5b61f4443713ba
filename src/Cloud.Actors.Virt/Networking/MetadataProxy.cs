using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Cloud.Actors.Virt.Networking;

/// <summary>Who asks: the instance whose port has the source address on the network, and its project.</summary>
public sealed record MetadataRequester(Guid InstanceId, string ProjectId);

/// <summary>
/// Neutron's metadata proxy and agent in one: it listens on 169.254.169.254:80 inside a network's namespace, finds the
/// instance by the network and the request's source address, and forwards the request to Nova's metadata API with
/// X-Instance-ID, X-Tenant-ID and X-Instance-ID-Signature (hex HMAC-SHA256 of the instance id with the shared secret),
/// which is how the API knows the request came through a proxy and for whom. Anyone else gets 404.
/// A request is one GET or HEAD of HTTP/1.x; the answer closes the connection.
/// </summary>
public sealed class MetadataProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private readonly Socket _listener;
    private readonly string _networkId;
    private readonly Func<string, string, MetadataRequester?> _identify;
    private readonly HttpClient _http;
    private readonly Uri _metadataApi;
    private readonly string _secret;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <param name="identify">(network id, source address) to the instance asking, or null.</param>
    public MetadataProxy(string ns, string networkId, Func<string, string, MetadataRequester?> identify, HttpClient http, Uri metadataApi, string secret)
    {
        _networkId = networkId;
        _identify = identify;
        _http = http;
        _metadataApi = metadataApi;
        _secret = secret;
        _listener = NamespaceSocket.Listen(ns, new IPEndPoint(IPAddress.Parse(DnsmasqDhcp.MetadataAddress), 80));
        _accepting = Task.Run(AcceptLoop);
    }

    /// <summary>Nova's signature of an instance id (nova/api/metadata/handler.py _validate_shared_secret).</summary>
    public static string Sign(string secret, string instanceId) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(instanceId))).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (SocketException) when (!_stop.IsCancellationRequested)
            {
                // Out of descriptors, a connection reset before it was taken: the listener itself is fine.
                await Task.Delay(100, _stop.Token);
                continue;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(Socket client)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var head = await ReadHead(stream, timeout.Token);
            var requestLine = head?.Split("\r\n")[0].Split(' ');
            if (requestLine is not [var method, var target, _] || method is not ("GET" or "HEAD") || !target.StartsWith('/'))
            {
                await Answer(stream, 400, "Bad Request", "text/plain", "400 Bad Request\n"u8.ToArray(), false);
                return;
            }
            var source = ((IPEndPoint)client.RemoteEndPoint!).Address.MapToIPv4().ToString();
            if (_identify(_networkId, source) is not { } requester)
            {
                await Answer(stream, 404, "Not Found", "text/plain", "404 Not Found\n"u8.ToArray(), method == "HEAD");
                return;
            }
            var id = requester.InstanceId.ToString();
            // The path is appended to the API's own address, never resolved against it: "//elsewhere/x" stays a path here.
            using var forward = new HttpRequestMessage(new HttpMethod(method), new Uri(_metadataApi.GetLeftPart(UriPartial.Authority) + target));
            forward.Headers.Add("X-Instance-ID", id);
            forward.Headers.Add("X-Tenant-ID", requester.ProjectId);
            forward.Headers.Add("X-Instance-ID-Signature", Sign(_secret, id));
            forward.Headers.Add("X-Forwarded-For", source);
            using var response = await _http.SendAsync(forward, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            await Answer(stream, (int)response.StatusCode, response.ReasonPhrase ?? "", response.Content.Headers.ContentType?.ToString() ?? "text/plain",
                body, method == "HEAD");
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or HttpRequestException or UriFormatException)
        {
            try
            {
                await Answer(stream, 502, "Bad Gateway", "text/plain", "502 Bad Gateway\n"u8.ToArray(), false);
            }
            catch (Exception again) when (again is IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<string?> ReadHead(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) return null;
            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal) || text.Contains("\n\n", StringComparison.Ordinal)) return text.Replace("\r\n", "\n").Replace("\n", "\r\n");
        }
        return null;
    }

    private static async Task Answer(Stream stream, int status, string reason, string contentType, byte[] body, bool headOnly)
    {
        var head = $"HTTP/1.0 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        if (!headOnly) await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}
