using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Api.Tests;

/// <summary>Speaks the shell protocol frame by frame, so specs can observe timing and order.</summary>
public sealed class ShellTestClient : IAsyncDisposable
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly Stream _stream;

    private ShellTestClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    public static async Task<ShellTestClient> ConnectAsync(IPEndPoint endpoint)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        return new ShellTestClient(client);
    }

    public Task SendAsync(params string[] args) =>
        SendLineAsync(JsonSerializer.Serialize(new { args }));

    public async Task SendLineAsync(string line)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        await _stream.FlushAsync();
    }

    /// <summary>The next frame, or null when the server closed the connection.</summary>
    /// <param name="timeout">How long to wait for it (10 s when not given): a streaming command may be quiet
    /// for longer, e.g. while a cluster notices that a member is gone.</param>
    public async Task<JsonObject?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        var line = await _reader.ReadLineAsync().WaitAsync(timeout ?? FrameTimeout);
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>Reads frames up to the exit frame.</summary>
    public async Task<CommandResult> ReadResultAsync()
    {
        var output = new StringBuilder();
        var error = new StringBuilder();
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.TryGetPropertyValue("out", out var text))
                output.Append(text!.GetValue<string>());
            else if (frame.TryGetPropertyValue("err", out text))
                error.Append(text!.GetValue<string>());
            else if (frame.TryGetPropertyValue("exit", out var exit))
                return new CommandResult(exit!.GetValue<int>(), output.ToString(), error.ToString());
        }
        throw new InvalidOperationException($"connection closed before the exit frame; out: {output}; err: {error}");
    }

    public async Task<CommandResult> RunAsync(params string[] args)
    {
        await SendAsync(args);
        return await ReadResultAsync();
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed record CommandResult(int ExitCode, string Output, string Error);
