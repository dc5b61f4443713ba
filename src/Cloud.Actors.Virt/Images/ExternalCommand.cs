using System.ComponentModel;
using System.Diagnostics;

namespace Cloud.Actors.Virt.Images;

/// <summary>
/// Runs one external tool to completion. Arguments go through ArgumentList, never a shell string, so a
/// path with spaces, quotes or semicolons is one argument and nothing else.
/// </summary>
internal static class ExternalCommand
{
    internal sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs the tool; throws <see cref="ImageToolException"/> when it is missing, exits non-zero, or outlives the timeout.</summary>
    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The tools' messages are parsed by nobody but read by people; a fixed locale keeps them in English and keeps JSON numbers plain.
        start.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ImageToolException($"{tool} is not installed or not on PATH ({e.Message}); run ./cluster.sh setup", tool, inner: e);
        }

        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        // Both pipes are drained concurrently: a tool that fills one while we wait on the other would hang forever.
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (ct.IsCancellationRequested) throw;
            throw new ImageToolException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds:0.#} s and was killed", tool);
        }

        var result = new Result(process.ExitCode, stdout.Result, stderr.Result);
        if (result.ExitCode != 0)
        {
            throw new ImageToolException(
                $"{tool} {string.Join(' ', start.ArgumentList)} failed with exit code {result.ExitCode}: {result.StandardError.Trim()}",
                tool, result.ExitCode, result.StandardError);
        }

        return result;
    }

    /// <summary>The full path of the first of the tools found on PATH, or null when none is.</summary>
    public static string? FindOnPath(params string[] tools)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var tool in tools)
        {
            foreach (var directory in directories)
            {
                var candidate = Path.Combine(directory, tool);
                if (File.Exists(candidate)) return candidate;
            }
        }

        return null;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill: nothing left to stop.
        }
    }
}
