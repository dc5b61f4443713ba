using System.CommandLine;
using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Tests;

/// <summary>A palette whose commands exercise each thing the shell transport must carry.</summary>
public sealed class TestPalette : IShellPalette
{
    /// <summary>Released by a spec to let <c>test stream</c> write its second line.</summary>
    public TaskCompletionSource StreamGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when <c>test wait</c> sees its cancellation token fire.</summary>
    public TaskCompletionSource WaitCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "test";

    public string Description => "Commands for the shell's own specs";

    public Command Build()
    {
        var words = new Argument<string[]>("words") { Arity = ArgumentArity.ZeroOrMore };
        var echo = new Command("echo", "Writes its words to the output") { words };
        echo.SetAction(async (ParseResult pr, CancellationToken _) =>
        {
            await pr.InvocationConfiguration.Output.WriteLineAsync(string.Join(' ', pr.GetValue(words) ?? []));
            return 0;
        });

        var fail = new Command("fail", "Writes to the error stream and exits 3");
        fail.SetAction(async (ParseResult pr, CancellationToken _) =>
        {
            await pr.InvocationConfiguration.Error.WriteLineAsync("boom");
            return 3;
        });

        var crash = new Command("throw", "Throws");
        crash.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new InvalidOperationException("kaput")));

        var stream = new Command("stream", "Writes a line, waits for the gate, writes another");
        stream.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            pr.InvocationConfiguration.Output.WriteLine("first");
            await StreamGate.Task.WaitAsync(ct);
            pr.InvocationConfiguration.Output.WriteLine("second");
            return 0;
        });

        var wait = new Command("wait", "Writes 'started' and waits until cancelled");
        wait.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            await pr.InvocationConfiguration.Output.WriteLineAsync("started");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                WaitCancelled.TrySetResult();
                throw;
            }
            return 0;
        });

        var keyData = new Option<string>("--pub-key-data") { Required = true };
        var keyName = new Argument<string>("name");
        var keypairAdd = new Command("keypair-add", "Echoes the key it received") { keyData, keyName };
        keypairAdd.SetAction(async (ParseResult pr, CancellationToken _) =>
        {
            await pr.InvocationConfiguration.Output.WriteAsync($"{pr.GetValue(keyName)}: {pr.GetValue(keyData)}");
            return 0;
        });

        return new Command(Name, Description) { echo, fail, crash, stream, wait, keypairAdd };
    }
}
