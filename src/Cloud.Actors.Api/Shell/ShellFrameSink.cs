using System.Net.Sockets;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// Serialises frames from a session's output and error writers onto its socket.
/// A failed write means the client is gone: the sink cancels the connection (so the
/// running command stops) and silently drops whatever the command still writes.
/// </summary>
internal sealed class ShellFrameSink(Stream stream, CancellationTokenSource connection)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _broken;

    public void Send(byte[] frame)
    {
        if (_broken)
            return;
        _gate.Wait();
        try
        {
            stream.Write(frame);
            stream.Flush();
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            Break();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SendAsync(byte[] frame)
    {
        if (_broken)
            return;
        await _gate.WaitAsync();
        try
        {
            // Not the command's token: a cancelled command still owes the client its exit frame.
            await stream.WriteAsync(frame);
            await stream.FlushAsync();
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            Break();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Break()
    {
        _broken = true;
        try
        {
            connection.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session already ended; nothing left to cancel.
        }
    }

    private static bool IsDisconnect(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException;
}
