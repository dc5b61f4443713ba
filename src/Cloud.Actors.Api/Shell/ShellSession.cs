using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// One client connection: runs its requests one after another (interactive mode sends
/// many), streaming each command's output back as frames.
/// </summary>
/// <remarks>
/// The socket is read continuously, also while a command runs, because that is the only
/// way to notice the client hanging up (or pressing Ctrl+C, which closes the
/// connection) and cancel the command it left behind. End of stream counts as a hang-up.
/// </remarks>
internal sealed class ShellSession(Stream stream, ShellDispatcher dispatcher, ShellOptions options, ILogger logger)
{
    // A client may send its next request before the current one finishes; a few may
    // wait, more only stall the reader (TCP then pushes back on the client).
    private const int QueuedRequests = 8;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        var sink = new ShellFrameSink(stream, connection);
        var requests = Channel.CreateBounded<string>(
            new BoundedChannelOptions(QueuedRequests) { SingleReader = true, SingleWriter = true });
        var reading = ReadRequestsAsync(requests.Writer, connection);
        try
        {
            await foreach (var line in requests.Reader.ReadAllAsync(connection.Token))
                await HandleAsync(line, sink, connection.Token);
        }
        catch (OperationCanceledException) when (connection.IsCancellationRequested)
        {
            // Client gone or node stopping.
        }
        catch (RequestTooLargeException ex)
        {
            await sink.SendAsync(ShellFrames.Text(ShellFrames.Err, ex.Message + "\n"));
            await sink.SendAsync(ShellFrames.Exit(1));
        }
        finally
        {
            await connection.CancelAsync();
            await reading;
        }
    }

    private async Task ReadRequestsAsync(ChannelWriter<string> requests, CancellationTokenSource connection)
    {
        var reader = new RequestLineReader(stream, options.MaxRequestBytes);
        Exception? failure = null;
        try
        {
            while (await reader.ReadLineAsync(connection.Token) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                    await requests.WriteAsync(line, connection.Token);
            }
            await connection.CancelAsync();
        }
        catch (RequestTooLargeException ex)
        {
            failure = ex;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            await connection.CancelAsync();
        }
        finally
        {
            requests.TryComplete(failure);
        }
    }

    private async Task HandleAsync(string line, ShellFrameSink sink, CancellationToken ct)
    {
        ShellRequest request;
        try
        {
            request = ShellRequest.Parse(line);
        }
        catch (FormatException ex)
        {
            await sink.SendAsync(ShellFrames.Text(ShellFrames.Err, ex.Message + "\n"));
            await sink.SendAsync(ShellFrames.Exit(1));
            return;
        }

        if (request.Complete)
        {
            await sink.SendAsync(ShellFrames.Palettes(dispatcher.Palettes));
            return;
        }

        using var output = new ShellStreamWriter(sink, ShellFrames.Out);
        using var error = new ShellStreamWriter(sink, ShellFrames.Err);
        int exitCode;
        try
        {
            exitCode = await dispatcher.ExecuteAsync(request.Args, output, error, ct);
        }
        catch (Exception ex)
        {
            // The dispatcher already contains command failures; this is the last line of
            // defence that keeps one bad request from taking the session down.
            logger.LogError(ex, "Shell request '{Request}' failed", line);
            await error.WriteLineAsync(ex.Message);
            exitCode = 1;
        }
        await output.FlushAsync();
        await error.FlushAsync();
        await sink.SendAsync(ShellFrames.Exit(exitCode));
    }
}
