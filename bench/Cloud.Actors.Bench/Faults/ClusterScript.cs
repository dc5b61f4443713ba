using System.Diagnostics;
using System.Text;

namespace Cloud.Actors.Bench.Faults;

/// <summary>A node of the running topology as <c>cluster.sh endpoints</c> lists it.</summary>
public sealed record NodeEndpoints(string Name, string Role, int? Pid, string Shell, string Management, string? Identity, string? Compute)
{
    public bool IsController => Role == "controller";
}

/// <summary>
/// A cluster of its own, driven through <c>cluster.sh</c> as a user drives it: its state directory and ports (all below
/// 32768) are passed in the same variables the end-to-end tests use, so it runs beside a developer's cluster.
/// </summary>
public sealed class ClusterScript(string repository, string stateDirectory, int basePort, IReadOnlyDictionary<string, string> environment)
{
    public string StateDirectory { get; } = stateDirectory;

    public async Task<(int ExitCode, string Output, string Error, TimeSpan Took)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = repository,
        };
        start.ArgumentList.Add(Path.Combine(repository, "cluster.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["CLOUD_ACTORS_CLUSTER_DIR"] = StateDirectory;
        start.Environment["CLOUD_ACTORS_REMOTING_BASE_PORT"] = basePort.ToString();
        start.Environment["CLOUD_ACTORS_SHELL_BASE_PORT"] = (basePort + 100).ToString();
        start.Environment["CLOUD_ACTORS_MANAGEMENT_BASE_PORT"] = (basePort + 200).ToString();
        start.Environment["CLOUD_ACTORS_IDENTITY_PORT"] = (basePort + 300).ToString();
        start.Environment["CLOUD_ACTORS_COMPUTE_PORT"] = (basePort + 301).ToString();
        start.Environment["CLOUD_ACTORS_IMAGE_PORT"] = (basePort + 302).ToString();
        start.Environment["CLOUD_ACTORS_NETWORK_PORT"] = (basePort + 303).ToString();
        start.Environment["CLOUD_ACTORS_METADATA_PORT"] = (basePort + 304).ToString();
        foreach (var name in new[] { "CLOUD_ACTORS_SHELL", "CLOUD_ACTORS_DRIVER", "CLOUD_ACTORS_PERSISTENCE", "CLOUD_ACTORS_POSTGRES" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cluster.sh");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await output, $"timed out after {timeout.TotalSeconds:0} s\n{await error}", clock.Elapsed);
        }
        return (process.ExitCode, await output, await error, clock.Elapsed);
    }

    public async Task<string> RunOkAsync(TimeSpan timeout, params string[] args)
    {
        var (code, output, error, _) = await RunAsync(timeout, args);
        if (code != 0) throw new InvalidOperationException($"cluster.sh {string.Join(' ', args)} exited {code}:\n{output}\n{error}");
        return output;
    }

    public async Task<IReadOnlyList<NodeEndpoints>> EndpointsAsync()
    {
        var lines = (await RunOkAsync(TimeSpan.FromSeconds(30), "endpoints")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(line => line.Split('\t')).Select(f => new NodeEndpoints(f[0], f[1], int.TryParse(f[2], out var pid) ? pid : null,
            f[4], f[5], f[6] == "-" ? null : f[6], f[7] == "-" ? null : f[7])).ToList();
    }

    /// <summary>kill -9 of a node's process, as a crash; returns once it is gone.</summary>
    public static async Task KillAsync(NodeEndpoints node)
    {
        if (node.Pid is not { } pid) return;
        var cmdline = await File.ReadAllTextAsync($"/proc/{pid}/cmdline");
        if (!cmdline.Contains("Cloud.Actors.Node.dll")) throw new InvalidOperationException($"pid {pid} of {node.Name} is not a node");
        using (var process = Process.GetProcessById(pid)) process.Kill();
        while (File.Exists($"/proc/{pid}/stat") && !(await File.ReadAllTextAsync($"/proc/{pid}/stat")).Contains(") Z "))
            await Task.Delay(50);
    }
}
