using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Tests;

/// <summary>The built Cloud.Actors.Cmd client, run as a process against an in-test server.</summary>
public sealed class ShellClientProcessSpecs : IAsyncLifetime
{
    private readonly TestPalette _palette = new();
    private readonly ShellServer _server;
    private string _endpoint = "";

    public ShellClientProcessSpecs()
    {
        _server = new ShellServer(new ShellDispatcher([_palette]), new ShellOptions { Port = 0 });
    }

    public async Task InitializeAsync()
    {
        await _server.StartAsync(CancellationToken.None);
        var bound = await _server.Listening;
        _endpoint = $"127.0.0.1:{bound.Port}";
    }

    public async Task DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        _server.Dispose();
    }

    [Fact]
    public async Task Prints_the_command_output_and_exits_0()
    {
        var result = await RunClientAsync([_endpoint, "test", "echo", "hello", "world"]);

        Assert.Equal(new CommandResult(0, "hello world\n", ""), result);
    }

    [Fact]
    public async Task Passes_on_error_output_and_the_exit_code()
    {
        var result = await RunClientAsync([_endpoint, "test", "fail"]);

        Assert.Equal(new CommandResult(3, "", "boom\n"), result);
    }

    [Fact]
    public async Task Takes_the_endpoint_from_the_environment_when_not_given()
    {
        var result = await RunClientAsync(["test", "echo", "from-env"], environment: _endpoint);

        Assert.Equal(new CommandResult(0, "from-env\n", ""), result);
    }

    [Fact]
    public async Task Sends_the_contents_of_a_pub_key_file_as_pub_key_data()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "ssh-rsa AAAAB3Nza operator@laptop");
        try
        {
            var result = await RunClientAsync([_endpoint, "test", "keypair-add", "--pub-key", file, "miclave"]);

            Assert.Equal(new CommandResult(0, "miclave: ssh-rsa AAAAB3Nza operator@laptop", ""), result);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_unreadable_pub_key_file_exits_2_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-key-{Guid.NewGuid():N}.pub");

        var result = await RunClientAsync([_endpoint, "test", "keypair-add", "--pub-key", missing, "k"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, result.Error);
    }

    [Fact]
    public async Task An_unreachable_shell_exits_2_naming_the_endpoint()
    {
        var closedPort = FreePort();

        var result = await RunClientAsync([$"127.0.0.1:{closedPort}", "test", "echo"]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"cannot reach the shell at 127.0.0.1:{closedPort}: ", result.Error);
    }

    [Fact]
    public async Task Interactive_mode_runs_each_line_until_exit()
    {
        var result = await RunClientAsync(
            [_endpoint],
            stdin: "test echo \"two words\" 'and more'\n\ntest fail\nexit\ntest echo never\n");

        Assert.Equal(new CommandResult(0, "two words and more\n", "boom\n"), result);
    }

    [Fact]
    public async Task Prints_streamed_output_as_it_arrives_not_when_the_command_ends()
    {
        // What `nova console-log --follow` relies on: each line shows while the command is still running.
        using var process = StartClient([_endpoint, "test", "stream"]);
        process.StandardInput.Close();
        Assert.Equal("first", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));

        _palette.StreamGate.SetResult();

        Assert.Equal("second", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Ctrl_C_cancels_the_command_on_the_node_and_exits_130()
    {
        using var process = StartClient([_endpoint, "test", "wait"]);
        process.StandardInput.Close();
        Assert.Equal("started", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(0, SendSignal(process.Id, SigInt));

        await _palette.WaitCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(130, process.ExitCode);
    }

    private const int SigInt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<CommandResult> RunClientAsync(
        IEnumerable<string> args, string? stdin = null, string environment = "")
    {
        using var process = StartClient(args, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new CommandResult(process.ExitCode, await output, await error);
    }

    private static Process StartClient(IEnumerable<string> args, string environment = "")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ClientAssembly.Value);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["CLOUD_ACTORS_SHELL"] = environment;
        return Process.Start(start)!;
    }

    // The test project references the client only to build it first; its dll lands in
    // the client project's own output directory, with the same configuration and framework.
    private static readonly Lazy<string> ClientAssembly = new(() =>
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        for (var dir = testOutput; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(
                dir.FullName, "src", "Cloud.Actors.Cmd", "bin", configuration, framework, "Cloud.Actors.Cmd.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"Cloud.Actors.Cmd.dll not found above {testOutput.FullName}");
    });
}
