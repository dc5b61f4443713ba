namespace Cloud.Actors.Cmd;

/// <summary><c>Cloud.Actors.Cmd [HOST:PORT] PALETTE COMMAND [ARGS...]</c>: one command, its output, its exit code.</summary>
internal static class OneShotCommand
{
    public static async Task<int> RunAsync(ShellEndpoint endpoint, IReadOnlyList<string> words)
    {
        IReadOnlyList<string> args;
        try
        {
            args = PublicKeyArguments.Inline(words);
        }
        catch (PublicKeyFileException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.ClientError;
        }

        using var interrupted = new CancellationTokenSource();
        // Ctrl+C closes the connection (the node then cancels the command) instead of
        // killing the process mid-write.
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            await using var connection = await ShellConnection.TryConnectAsync(endpoint, Console.Error, interrupted.Token);
            if (connection is null)
                return ExitCodes.ClientError;
            return await connection.RunAsync(args, Console.Out, Console.Error, interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (ShellConnectionLostException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.ClientError;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }
}
