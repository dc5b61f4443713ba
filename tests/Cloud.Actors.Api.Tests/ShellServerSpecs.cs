using System.Net;
using Cloud.Actors.Api.Shell;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cloud.Actors.Api.Tests;

public sealed class ShellServerSpecs : IAsyncLifetime
{
    private readonly TestPalette _palette = new();
    private readonly ShellServer _server;
    private IPEndPoint _endpoint = null!;

    public ShellServerSpecs()
    {
        _server = new ShellServer(
            new ShellDispatcher([_palette]),
            new ShellOptions { Port = 0, MaxRequestBytes = 4096 });
    }

    public async Task InitializeAsync()
    {
        await _server.StartAsync(CancellationToken.None);
        _endpoint = await _server.Listening;
    }

    public async Task DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        _server.Dispose();
    }

    [Fact]
    public void Listens_on_an_ephemeral_port_when_configured_with_port_0()
    {
        Assert.NotEqual(0, _endpoint.Port);
        Assert.Equal(IPAddress.Loopback, _endpoint.Address);
    }

    [Fact]
    public async Task Runs_a_command_and_returns_its_output_and_exit_code()
    {
        await using var client = await ShellTestClient.ConnectAsync(_endpoint);

        var result = await client.RunAsync("test", "echo", "hello", "world");

        Assert.Equal(new CommandResult(0, "hello world\n", ""), result);
    }

    [Fact]
    public async Task Keeps_errors_apart_from_output()
    {
        await using var client = await ShellTestClient.ConnectAsync(_endpoint);

        var result = await client.RunAsync("test", "fail");

        Assert.Equal(new CommandResult(3, "", "boom\n"), result);
    }

    [Fact]
    public async Task Streams_output_before_the_command_completes()
    {
        await using var client = await ShellTestClient.ConnectAsync(_endpoint);
        await client.SendAsync("test", "stream");

        var first = await client.ReadFrameAsync();
        Assert.Equal("first\n", (string?)first!["out"]);

        _palette.StreamGate.SetResult();
        var rest = await client.ReadResultAsync();
        Assert.Equal(new CommandResult(0, "second\n", ""), rest);
    }

    [Fact]
    public async Task Cancels_the_command_when_the_client_disconnects()
    {
        var client = await ShellTestClient.ConnectAsync(_endpoint);
        await client.SendAsync("test", "wait");
        Assert.Equal("started\n", (string?)(await client.ReadFrameAsync())!["out"]);

        await client.DisposeAsync();

        await _palette.WaitCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Runs_several_requests_on_one_connection_and_survives_a_throwing_command()
    {
        await using var client = await ShellTestClient.ConnectAsync(_endpoint);

        var crashed = await client.RunAsync("test", "throw");
        var next = await client.RunAsync("test", "echo", "still", "here");

        Assert.Equal(new CommandResult(1, "", "kaput\n"), crashed);
        Assert.Equal(new CommandResult(0, "still here\n", ""), next);
    }

    [Fact]
    public async Task Serves_connections_concurrently()
    {
        await using var blocked = await ShellTestClient.ConnectAsync(_endpoint);
        await blocked.SendAsync("test", "stream");
        await blocked.ReadFrameAsync();

        await using var other = await ShellTestClient.ConnectAsync(_endpoint);
        var result = await other.RunAsync("test", "echo", "meanwhile");

        Assert.Equal(0, result.ExitCode);
        _palette.StreamGate.SetResult();
        Assert.Equal(0, (await blocked.ReadResultAsync()).ExitCode);
    }

    [Fact]
    public async Task Answers_a_completion_request_with_palettes_and_commands()
    {
        await using var client = await ShellTestClient.ConnectAsync(_endpoint);
        await client.SendLineAsync("""{"complete":true}""");

        var frame = await client.ReadFrameAsync();

        var commands = frame!["palettes"]!["test"]!.AsArray().Select(c => (string?)c).ToList();
        Assert.Contains("echo", commands);
        Assert.Contains("keypair-add", commands);
    }

    [Fact]
    public async Task A_malformed_request_is_an_error_not_a_disconnect()
    {
        await using var client = await ShellTestClient.ConnectAsync(_endpoint);
        await client.SendLineAsync("this is not json");

        var malformed = await client.ReadResultAsync();
        var next = await client.RunAsync("test", "echo", "ok");

        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("malformed request", malformed.Error);
        Assert.Equal(0, next.ExitCode);
    }

    [Fact]
    public async Task Rejects_a_request_line_over_the_size_limit()
    {
        await using var client = await ShellTestClient.ConnectAsync(_endpoint);
        await client.SendAsync("test", "echo", new string('x', 5000));

        var result = await client.ReadResultAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exceeds 4096 bytes", result.Error);
        Assert.Null(await client.ReadFrameAsync());
    }

    [Fact]
    public async Task Fails_to_start_when_the_port_is_taken()
    {
        using var second = new ShellServer(new ShellDispatcher([]), new ShellOptions { Port = _endpoint.Port });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync(CancellationToken.None));

        Assert.Contains($"127.0.0.1:{_endpoint.Port}", failure.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.Listening);
    }

    [Fact]
    public async Task AddShell_serves_the_registered_palettes_from_a_host()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddShell(new ShellOptions { Port = 0 }).AddShellPalette<TestPalette>();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var endpoint = await host.Services.GetRequiredService<ShellServer>().Listening;
            await using var client = await ShellTestClient.ConnectAsync(endpoint);

            var result = await client.RunAsync("test", "echo", "hosted");

            Assert.Equal(new CommandResult(0, "hosted\n", ""), result);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
