using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cloud.Actors.Cmd;

/// <summary>
/// The client's side of the shell protocol: one JSON request per line, answered by
/// <c>{"out":…}</c>/<c>{"err":…}</c> frames and a final <c>{"exit":N}</c>.
/// Disposing it closes the socket, which makes the node cancel a running command.
/// </summary>
internal sealed class ShellConnection : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private ShellConnection(ShellEndpoint endpoint, TcpClient client)
    {
        Endpoint = endpoint;
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    public ShellEndpoint Endpoint { get; }

    /// <exception cref="SocketException">Nobody listens there (or the name does not resolve).</exception>
    /// <exception cref="TimeoutException">The node did not accept in time.</exception>
    public static async Task<ShellConnection> ConnectAsync(ShellEndpoint endpoint, CancellationToken ct)
    {
        var client = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            return new ShellConnection(endpoint, client);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            client.Dispose();
            throw new TimeoutException($"no answer within {ConnectTimeout.TotalSeconds:0} s");
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Connects, or explains on <paramref name="error"/> why not and returns <c>null</c>.</summary>
    public static async Task<ShellConnection?> TryConnectAsync(ShellEndpoint endpoint, TextWriter error, CancellationToken ct)
    {
        try
        {
            return await ConnectAsync(endpoint, ct);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or IOException)
        {
            await error.WriteLineAsync($"cannot reach the shell at {endpoint}: {ex.Message}");
            return null;
        }
    }

    /// <summary>Runs one command, copying its output as it arrives; returns its exit code.</summary>
    /// <exception cref="ShellConnectionLostException">The connection ended before the exit code.</exception>
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await SendAsync(writer =>
        {
            writer.WriteStartArray("args");
            foreach (var arg in args)
                writer.WriteStringValue(arg);
            writer.WriteEndArray();
        }, ct);

        while (true)
        {
            using var frame = await ReadFrameAsync(ct);
            var root = frame.RootElement;
            if (root.TryGetProperty("out", out var text))
            {
                await output.WriteAsync(text.GetString());
                await output.FlushAsync(ct);
            }
            else if (root.TryGetProperty("err", out text))
            {
                await error.WriteAsync(text.GetString());
                await error.FlushAsync(ct);
            }
            else if (root.TryGetProperty("exit", out var exit) && exit.TryGetInt32(out var code))
            {
                return code;
            }
        }
    }

    /// <summary>Palette name → command names, for tab completion.</summary>
    public async Task<IReadOnlyDictionary<string, string[]>> GetPalettesAsync(CancellationToken ct)
    {
        await SendAsync(writer => writer.WriteBoolean("complete", true), ct);
        using var frame = await ReadFrameAsync(ct);
        var palettes = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (frame.RootElement.TryGetProperty("palettes", out var byName) && byName.ValueKind == JsonValueKind.Object)
        {
            foreach (var palette in byName.EnumerateObject())
                palettes[palette.Name] = palette.Value.EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        }
        return palettes;
    }

    private async Task SendAsync(Action<Utf8JsonWriter> writeProperties, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        try
        {
            await _stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
        }
        catch (IOException ex)
        {
            throw new ShellConnectionLostException($"lost the connection to the shell at {Endpoint}: {ex.Message}");
        }
    }

    private async Task<JsonDocument> ReadFrameAsync(CancellationToken ct)
    {
        string? line;
        try
        {
            line = await _reader.ReadLineAsync(ct);
        }
        catch (IOException ex)
        {
            throw new ShellConnectionLostException($"lost the connection to the shell at {Endpoint}: {ex.Message}");
        }
        if (line is null)
            throw new ShellConnectionLostException($"the shell at {Endpoint} closed the connection");
        try
        {
            var frame = JsonDocument.Parse(line);
            if (frame.RootElement.ValueKind == JsonValueKind.Object)
                return frame;
            frame.Dispose();
        }
        catch (JsonException)
        {
            // Reported below, together with non-object frames.
        }
        throw new ShellConnectionLostException($"{Endpoint} does not speak the shell protocol");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
