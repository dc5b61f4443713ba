using System.Diagnostics;
using System.Net;
using System.Text;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// Nodes started one by one with <c>cluster.sh node</c>, as on machines of their own: a controller whose contact points
/// name a compute host not started yet waits (it forms no cluster while a contact point is silent), stays alive and
/// says why it is not ready on /healthcheck; once the compute host starts, both form the cluster and are ready.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class NodeStartupSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Host = "127.0.0.1";
    private static readonly string Seeds = $"{Host}:26558,{Host}:26559";
    private readonly string _state = Directory.CreateTempSubdirectory("cloud-actors-node-startup-").FullName;
    private readonly List<Process> _nodes = [];
    private readonly StringBuilder _logs = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
            node.Dispose();
        }
        _http.Dispose();
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }

    /// <summary>cluster.sh node NAME in the foreground (its output kept for the failure message); index 0 or 1 picks its ports.</summary>
    private Process Start(string name, string roles, int index)
    {
        var repository = Environment.GetEnvironmentVariable("CLOUD_ACTORS_REPO") ?? throw new InvalidOperationException("CLOUD_ACTORS_REPO is not set");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = repository,
        };
        foreach (var arg in new[] { Path.Combine(repository, "cluster.sh"), "node", "--name", name, "--roles", roles, "--address", Host,
                     "--seeds", Seeds, "--state-dir", Path.Combine(_state, name), "--driver", "fake", "--persistence", "sqlite" })
            start.ArgumentList.Add(arg);
        start.Environment["CLOUD_ACTORS_PORT"] = $"{26053 + index}";
        start.Environment["CLOUD_ACTORS_SHELL_PORT"] = $"{26110 + index}";
        start.Environment["CLOUD_ACTORS_MANAGEMENT_PORT"] = $"{26558 + index}";
        start.Environment["CLOUD_ACTORS_IDENTITY_PORT"] = "26500";
        start.Environment["CLOUD_ACTORS_COMPUTE_PORT"] = "26501";
        start.Environment["CLOUD_ACTORS_IMAGE_PORT"] = "26502";
        start.Environment["CLOUD_ACTORS_NETWORK_PORT"] = "26503";
        start.Environment["CLOUD_ACTORS_METADATA_PORT"] = "26504";
        foreach (var variable in new[] { "CLOUD_ACTORS_CONTACT_POINTS", "CLOUD_ACTORS_POSTGRES", "CLOUD_ACTORS_NODE", "CLOUD_ACTORS_ROLES" })
            start.Environment.Remove(variable);
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => { lock (_logs) _logs.AppendLine($"{name}: {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { lock (_logs) _logs.AppendLine($"{name}! {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _nodes.Add(process);
        return process;
    }

    private async Task<(HttpStatusCode? Status, string Body)> HealthAsync(int port)
    {
        try
        {
            using var response = await _http.GetAsync($"http://{Host}:{port}/healthcheck");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
    }

    private async Task<(HttpStatusCode? Status, string Body)> WaitForHealthAsync(int port, Func<HttpStatusCode?, bool> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var health = await HealthAsync(port);
            if (condition(health.Status)) return health;
            if (clock.Elapsed > within)
                Assert.Fail($"/healthcheck on {port}: {health.Status} {health.Body} after {within.TotalSeconds:0} s\n{_logs}");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task A_node_waits_for_its_contact_points_says_why_on_healthcheck_then_forms_the_cluster_with_them()
    {
        var controller = Start("ctl", "controller", 0);

        // It answers at once, not ready: its cluster cannot form while the compute host's contact point is silent.
        var waiting = await WaitForHealthAsync(26558, s => s is not null, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.Status);
        Assert.StartsWith("FAILED", waiting.Body);
        output.WriteLine($"alone: {waiting.Body}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await WaitForHealthAsync(26501, s => s is not null, TimeSpan.FromSeconds(30))).Status);
        // ... and keeps waiting: no timeout ends it.
        var alone = Stopwatch.StartNew();
        while (alone.Elapsed < TimeSpan.FromSeconds(15))
        {
            Assert.False(controller.HasExited, $"the controller exited while waiting:\n{_logs}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await HealthAsync(26558)).Status);
            await Task.Delay(1000);
        }

        Start("cmp", "compute", 1);

        await WaitForHealthAsync(26558, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        await WaitForHealthAsync(26559, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        Assert.Equal("OK\n", (await HealthAsync(26501)).Body);
    }
}
