using System.Diagnostics;

namespace Cloud.Actors.Virt.Tests;

/// <summary>A host tool the specs run to set up or look at what the code under test made (ip, curl, busybox).</summary>
internal static class HostCommand
{
    /// <summary>Runs the tool with an argument list; its exit code and stdout then stderr.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
