using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// The node's management shell endpoint: a TCP listener speaking newline-delimited JSON
/// (see <see cref="ShellRequest"/> and <see cref="ShellFrames"/>). Every connection is
/// served concurrently; each runs its requests in order.
/// </summary>
public sealed class ShellServer : BackgroundService
{
    private readonly ShellDispatcher _dispatcher;
    private readonly ShellOptions _options;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<IPEndPoint> _listening =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<Task> _sessions = [];
    private TcpListener? _listener;

    public ShellServer(ShellDispatcher dispatcher, ShellOptions options, ILogger<ShellServer>? logger = null)
    {
        _dispatcher = dispatcher;
        _options = options;
        _logger = logger ?? NullLogger<ShellServer>.Instance;
    }

    /// <summary>The endpoint actually bound (the real port when configured with port 0).</summary>
    public Task<IPEndPoint> Listening => _listening.Task;

    /// <summary>
    /// Binds before the host reports started, so a taken port fails start-up loudly
    /// instead of leaving a node without its shell.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        IPEndPoint bound;
        try
        {
            var address = await ResolveAsync(_options.Host, cancellationToken);
            _listener = new TcpListener(address, _options.Port);
            _listener.Start();
            bound = (IPEndPoint)_listener.LocalEndpoint;
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException)
        {
            var failure = new InvalidOperationException(
                $"the shell cannot listen on {_options.Host}:{_options.Port}: {ex.Message}", ex);
            _listening.TrySetException(failure);
            throw failure;
        }
        _logger.LogInformation("Shell listening on {Endpoint}", bound);
        _listening.TrySetResult(bound);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener ?? throw new InvalidOperationException("StartAsync binds the listener first");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException ex)
                {
                    // A client that reset before we accepted it; the listener is fine.
                    _logger.LogDebug(ex, "Shell accept failed");
                    continue;
                }
                Track(ServeAsync(client, stoppingToken));
            }
        }
        finally
        {
            listener.Stop();
            Task[] running;
            lock (_sessions)
                running = [.. _sessions];
            await Task.WhenAll(running);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        // Off the accept loop at once: the loop must not wait for a session.
        await Task.Yield();
        var remote = client.Client.RemoteEndPoint;
        try
        {
            using (client)
            {
                client.NoDelay = true;
                await using var stream = client.GetStream();
                await new ShellSession(stream, _dispatcher, _options, _logger).RunAsync(stoppingToken);
            }
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Shell session with {Remote} ended abnormally", remote);
        }
    }

    private void Track(Task session)
    {
        lock (_sessions)
            _sessions.Add(session);
        session.ContinueWith(
            finished =>
            {
                lock (_sessions)
                    _sessions.Remove(finished);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var address))
            return address;
        if (host is "*" or "")
            return IPAddress.Any;
        var addresses = await Dns.GetHostAddressesAsync(host, ct);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"the shell host '{host}' resolves to no address");
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }
}
