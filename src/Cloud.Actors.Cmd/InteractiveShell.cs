namespace Cloud.Actors.Cmd;

/// <summary>
/// The <c>HOST:PORT&gt; </c> prompt: every line runs on one connection to the node until
/// <c>exit</c>, <c>quit</c> or end of input. Ctrl+C stops the running command (by closing
/// the connection; the next line reconnects); at the prompt it leaves.
/// </summary>
internal sealed class InteractiveShell(ShellEndpoint endpoint)
{
    private CancellationTokenSource? _running;

    public async Task<int> RunAsync()
    {
        var connection = await ShellConnection.TryConnectAsync(endpoint, Console.Error, CancellationToken.None);
        if (connection is null)
            return ExitCodes.ClientError;

        var editor = new ConsoleLineEditor($"{endpoint}> ", new ShellCompletion(await PalettesAsync(connection)));
        Console.CancelKeyPress += CancelRunningCommand;
        try
        {
            while (editor.ReadLine() is { } line)
            {
                List<string> words;
                try
                {
                    words = CommandLineSplitter.Split(line);
                }
                catch (FormatException ex)
                {
                    await Console.Error.WriteLineAsync(ex.Message);
                    continue;
                }
                if (words.Count == 0)
                    continue;
                if (words is ["exit"] or ["quit"])
                    break;

                connection ??= await ShellConnection.TryConnectAsync(endpoint, Console.Error, CancellationToken.None);
                if (connection is not null && !await RunAsync(connection, words))
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
            }
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= CancelRunningCommand;
            if (connection is not null)
                await connection.DisposeAsync();
        }
    }

    /// <summary>Runs one line; false when the connection is no longer usable.</summary>
    private async Task<bool> RunAsync(ShellConnection connection, IReadOnlyList<string> words)
    {
        IReadOnlyList<string> args;
        try
        {
            args = PublicKeyArguments.Inline(words);
        }
        catch (PublicKeyFileException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return true;
        }

        using var running = new CancellationTokenSource();
        Volatile.Write(ref _running, running);
        try
        {
            await connection.RunAsync(args, Console.Out, Console.Error, running.Token);
            return true;
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("^C");
            return false;
        }
        catch (ShellConnectionLostException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return false;
        }
        finally
        {
            Volatile.Write(ref _running, null);
        }
    }

    private void CancelRunningCommand(object? sender, ConsoleCancelEventArgs e)
    {
        var running = Volatile.Read(ref _running);
        if (running is null)
            return;
        e.Cancel = true;
        try
        {
            running.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command finished in the meantime.
        }
    }

    private static async Task<IReadOnlyDictionary<string, string[]>> PalettesAsync(ShellConnection connection)
    {
        try
        {
            return await connection.GetPalettesAsync(CancellationToken.None);
        }
        catch (ShellConnectionLostException)
        {
            // Completion is a convenience; the prompt works without it.
            return new Dictionary<string, string[]>();
        }
    }
}
