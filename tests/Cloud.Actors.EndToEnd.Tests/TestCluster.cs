using System.Diagnostics;
using System.Text;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// The tests' own local cluster, driven only through <c>cluster.sh</c> run as a process.
/// </summary>
/// <remarks>
/// It lives beside a developer's cluster, never in it: every call passes cluster.sh
/// <c>CLOUD_ACTORS_CLUSTER_DIR</c> = <c>&lt;repo&gt;/.cluster-e2e</c>, remoting ports 24053+,
/// shell ports 29110+ and management ports 28558+, so <c>.cluster/</c> and ports 4053+/9110+ stay untouched. The tests
/// own <c>.cluster-e2e/</c>: it is wiped before each scenario and left after the run for
/// post-mortems. Persistence is always SQLite (one file per node in that directory), so
/// wiping it wipes the cluster's state. One instance serves the whole test collection.
/// </remarks>
public class TestCluster : IAsyncLifetime
{
    public const string Host = "127.0.0.1";

    public static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DownTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BootPollTimeout = TimeSpan.FromSeconds(90);

    private string? _sharedBy;

    /// <summary>The fake-driver cluster: .cluster-e2e/, remoting ports 24053+, shell ports 29110+, management ports 28558+.</summary>
    public TestCluster()
        : this(".cluster-e2e", remotingBasePort: 24053, shellBasePort: 29110, managementBasePort: 28558, driver: "fake")
    {
    }

    /// <param name="firstInstanceNumber">
    /// Where the cluster's instance numbers start: clusters sharing the host's libvirtd must not both name a domain
    /// instance-00000001.
    /// </param>
    protected TestCluster(string stateDirectoryName, int remotingBasePort, int shellBasePort, int managementBasePort, string driver,
        long firstInstanceNumber = 1)
    {
        ManagementBasePort = managementBasePort;
        RepositoryRoot = FindRepositoryRoot();
        StateDirectoryName = stateDirectoryName;
        StateDirectory = Path.Combine(RepositoryRoot, stateDirectoryName);
        RemotingBasePort = remotingBasePort;
        ShellBasePort = shellBasePort;
        Driver = driver;
        FirstInstanceNumber = firstInstanceNumber;
    }

    public string StateDirectoryName { get; }

    public int RemotingBasePort { get; }

    public int ShellBasePort { get; }

    /// <summary>The controller's management endpoint (cluster bootstrap, /healthcheck); computeN's is base+N.</summary>
    public int ManagementBasePort { get; }

    /// <summary>The compute driver every node of this cluster runs: fake or libvirt.</summary>
    public string Driver { get; }

    public long FirstInstanceNumber { get; }

    public string RepositoryRoot { get; }

    public string StateDirectory { get; }

    public string ShellEndpoint => $"{Host}:{ShellBasePort}";

    /// <summary>Whether the running cluster was brought up with --netns (each node in a namespace of its own).</summary>
    private bool _netns;

    /// <summary>The identity port of the cluster's OpenStack API (compute, image and network follow it): 29500+ for .cluster-e2e.</summary>
    public int IdentityPort => ShellBasePort + 390;

    /// <summary>The running test's output; every command and its result is written there.</summary>
    public ITestOutputHelper? Output { get; set; }

    // ---- the collection's lifetime: no leftovers before, nothing running after ----

    public Task InitializeAsync()
    {
        foreach (var dll in new[] { "Cloud.Actors.Node", "Cloud.Actors.Cmd" })
        {
            var path = Path.Combine(RepositoryRoot, "src", dll, "bin", "Release", "net10.0", dll + ".dll");
            if (!File.Exists(path))
                throw new InvalidOperationException(
                    $"{path} is missing: run ./cluster.sh setup (cluster.sh runs the Release build) before these tests");
        }
        return ResetAsync();
    }

    public Task DisposeAsync() => DownAsync();

    // ---- cluster.sh subcommands ----

    /// <summary>Runs <c>./cluster.sh ARGS...</c>; throws <see cref="TimeoutException"/> (after killing it) when it outlives <paramref name="timeout"/>.</summary>
    public async Task<CommandResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "cluster.sh"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["CLOUD_ACTORS_CLUSTER_DIR"] = StateDirectory;
        start.Environment["CLOUD_ACTORS_REMOTING_BASE_PORT"] = RemotingBasePort.ToString();
        start.Environment["CLOUD_ACTORS_SHELL_BASE_PORT"] = ShellBasePort.ToString();
        start.Environment["CLOUD_ACTORS_MANAGEMENT_BASE_PORT"] = ManagementBasePort.ToString();
        start.Environment["CLOUD_ACTORS_UP_TIMEOUT"] = ((int)UpTimeout.TotalSeconds - 15).ToString();
        start.Environment["CLOUD_ACTORS_FIRST_INSTANCE_NUMBER"] = FirstInstanceNumber.ToString();
        // The controller's OpenStack API on this cluster's own ports (the nodes and write_openrc inherit them through
        // cluster.sh), so the tests' clusters never collide with a developer's on 5000/8774/9292/9696.
        start.Environment["CLOUD_ACTORS_IDENTITY_PORT"] = IdentityPort.ToString();
        start.Environment["CLOUD_ACTORS_COMPUTE_PORT"] = (IdentityPort + 1).ToString();
        start.Environment["CLOUD_ACTORS_IMAGE_PORT"] = (IdentityPort + 2).ToString();
        start.Environment["CLOUD_ACTORS_NETWORK_PORT"] = (IdentityPort + 3).ToString();
        start.Environment["CLOUD_ACTORS_METADATA_PORT"] = (IdentityPort + 4).ToString();
        // A developer's settings must not leak into the tests' cluster.
        start.Environment.Remove("CLOUD_ACTORS_SHELL");
        start.Environment.Remove("CLOUD_ACTORS_DRIVER");
        start.Environment.Remove("CLOUD_ACTORS_PERSISTENCE");
        start.Environment.Remove("CLOUD_ACTORS_POSTGRES");

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("could not start bash cluster.sh");
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
            var timedOut = new CommandResult(args, -1, await output, await error, clock.Elapsed);
            Log($"TIMED OUT after {timeout.TotalSeconds}s: {timedOut}");
            throw new TimeoutException($"timed out after {timeout.TotalSeconds}s: {timedOut}");
        }
        var result = new CommandResult(args, process.ExitCode, await output, await error, clock.Elapsed);
        Log(result.ExitCode == 0
            ? $"{result.CommandLine}  -> exit 0 ({result.Duration.TotalSeconds:0.0}s)"
            : result.ToString());
        return result;
    }

    /// <summary>Runs a subcommand that must succeed; returns its stdout.</summary>
    public async Task<string> RunOkAsync(TimeSpan timeout, params string[] args)
    {
        var result = await RunAsync(timeout, args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"expected exit 0:\n{result}");
        return result.Output;
    }

    /// <param name="options">More options of up (--netns, --controllers N ...).</param>
    public async Task<CommandResult> UpAsync(int computes, params string[] options)
    {
        _sharedBy = null;
        _netns = options.Contains("--netns");
        var result = await RunAsync(UpTimeout, ["up", "--driver", Driver, "--computes", computes.ToString(), .. options]);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"cluster.sh up failed:\n{result}\n{LogTails()}");
        return result;
    }

    public async Task DownAsync()
    {
        _sharedBy = null;
        await RunOkAsync(DownTimeout, "down");
    }

    /// <summary>No cluster running, no guest of it left and no state: the start of every scenario.</summary>
    public async Task ResetAsync()
    {
        _sharedBy = null;
        await RunOkAsync(DownTimeout, "down", "--purge");
    }

    /// <summary>
    /// A fresh cluster for a group of tests that share one (their <paramref name="owner"/>),
    /// unless that group's cluster is the one running. Any other scenario resets it.
    /// </summary>
    public async Task ShareAsync(string owner, int computes, Func<Task> prepare)
    {
        if (_sharedBy == owner)
            return;
        await ResetAsync();
        await UpAsync(computes);
        await prepare();
        _sharedBy = owner;
    }

    // ---- the nova palette, through cluster.sh cmd ----

    public Task<CommandResult> NovaAsync(params string[] args) => NovaAsync(CommandTimeout, args);

    // Up with --netns, the controller's shell is on its namespace's address, which cluster.sh cmd finds by itself.
    public Task<CommandResult> NovaAsync(TimeSpan timeout, params string[] args) =>
        RunAsync(timeout, _netns ? ["cmd", "nova", .. args] : ["cmd", ShellEndpoint, "nova", .. args]);

    public async Task<string> NovaOkAsync(params string[] args)
    {
        var result = await NovaAsync(args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"expected exit 0:\n{result}");
        return result.Output;
    }

    public async Task<IReadOnlyDictionary<string, string>> ShowAsync(string server) =>
        NovaTables.Properties(await NovaOkAsync("show", server));

    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ListAsync() =>
        NovaTables.Rows(await NovaOkAsync("list"));

    /// <summary>The id of the seed's network, <c>privada</c>, from <c>nova net-list</c>.</summary>
    public async Task<string> PrivadaNetworkIdAsync()
    {
        var networks = NovaTables.Rows(await NovaOkAsync("net-list"));
        return networks.Single(row => row["Label"] == "privada")["ID"];
    }

    /// <summary>Runs a client command line after <c>source openrc USER USER</c>; throws unless it exits 0.</summary>
    public async Task<string> ClientAsync(string user, string commandLine, Action<string>? log = null, int timeoutSeconds = 120)
    {
        var openrc = Path.Combine(StateDirectory, "openrc");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = StateDirectory,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source '{openrc}' {user} {user} && {commandLine}");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await process.WaitForExitAsync(deadline.Token);
        log?.Invoke($"[{user}] {commandLine} -> exit {process.ExitCode}\n{await stdout}{await stderr}");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{commandLine}` as {user} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>The seed's boot command line for <paramref name="name"/>, any field replaceable.</summary>
    public static string[] BootArguments(
        string name, string networkId, string image = "cirros", string flavor = "1", string key = "miclave",
        bool poll = false)
    {
        string[] args = ["boot", "--image", image, "--flavor", flavor, "--key_name", key, "--nic", $"net-id={networkId}"];
        return poll ? [.. args, "--poll", name] : [.. args, name];
    }

    /// <summary>Polls <c>nova show</c> until <paramref name="done"/> holds; fails with the last table seen.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForServerAsync(
        string server, Func<IReadOnlyDictionary<string, string>, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var show = await ShowAsync(server);
            if (done(show))
                return show;
            if (clock.Elapsed > timeout)
                throw new TimeoutException(
                    $"{server} not {what} after {timeout.TotalSeconds}s; last nova show:\n" +
                    string.Join('\n', show.Select(p => $"  {p.Key} = {p.Value}")));
            await Task.Delay(500);
        }
    }

    // ---- nodes as processes ----

    /// <summary>The shell endpoint of <paramref name="node"/> (controller, computeN) on 127.0.0.1.</summary>
    public string ShellOf(string node) =>
        $"{Host}:{ShellBasePort + (node == "controller" ? 0 : int.Parse(node["compute".Length..]))}";

    public int NodePid(string node)
    {
        var text = File.ReadAllText(Path.Combine(StateDirectory, node, "node.pid")).Trim();
        return int.Parse(text);
    }

    /// <summary>SIGKILLs a node (kill -9) and waits until its process is gone.</summary>
    public async Task KillNodeAsync(string node)
    {
        var pid = NodePid(node);
        // Never kill a recycled pid: it must still be our node program.
        var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        if (!cmdline.Contains("Cloud.Actors.Node.dll"))
            throw new InvalidOperationException($"pid {pid} of {node} is not a Cloud.Actors node: {cmdline}");
        using (var process = Process.GetProcessById(pid))
            process.Kill(); // SIGKILL on Unix
        Log($"kill -9 {pid} ({node})");
        var clock = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
                throw new TimeoutException($"{node} (pid {pid}) still runs 10 s after SIGKILL");
            await Task.Delay(50);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    // ---- diagnostics ----

    /// <summary>The last lines of every node's log (the current run's, then the previous run's).</summary>
    public string LogTails(int lines = 60)
    {
        if (!Directory.Exists(StateDirectory))
            return $"(no {StateDirectoryName}/: no node logs)";
        var text = new StringBuilder();
        foreach (var dir in Directory.GetDirectories(StateDirectory).Order(StringComparer.Ordinal))
        {
            foreach (var log in new[] { "node.log.1", "node.log" })
            {
                var path = Path.Combine(dir, log);
                if (!File.Exists(path))
                    continue;
                var all = File.ReadAllLines(path);
                text.AppendLine($"---- {StateDirectoryName}/{Path.GetFileName(dir)}/{log}: last {Math.Min(lines, all.Length)} of {all.Length} lines ----");
                foreach (var line in all.TakeLast(lines))
                    text.AppendLine(line);
            }
        }
        return text.ToString();
    }

    public void Log(string message)
    {
        try
        {
            Output?.WriteLine($"[{DateTime.Now:HH:mm:ss.f}] {message}");
        }
        catch (InvalidOperationException)
        {
            // No test is running (fixture setup or teardown): nowhere to write.
        }
    }

    // $CLOUD_ACTORS_REPO (cluster.sh test exports it), else the folder above the test assembly that holds cluster.sh.
    private static string FindRepositoryRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CLOUD_ACTORS_REPO");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            if (!File.Exists(Path.Combine(fromEnvironment, "cluster.sh")))
                throw new InvalidOperationException($"CLOUD_ACTORS_REPO={fromEnvironment} has no cluster.sh");
            return Path.GetFullPath(fromEnvironment);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "cluster.sh")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"no cluster.sh above {AppContext.BaseDirectory}; set CLOUD_ACTORS_REPO to the repository's path");
    }
}
