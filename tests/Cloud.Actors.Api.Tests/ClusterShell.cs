using System.Net;
using Akka.Actor;
using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Tests;

/// <summary>A node's shell endpoint with the cluster palette (singleton role <c>controller</c>), on a free port.</summary>
public sealed class ClusterShell : IAsyncDisposable
{
    private readonly ShellServer _server;

    private ClusterShell(ShellServer server, IPEndPoint endpoint)
    {
        _server = server;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public static async Task<ClusterShell> StartAsync(ActorSystem node)
    {
        var server = new ShellServer(
            new ShellDispatcher([new ClusterPalette(node, "controller")]),
            new ShellOptions { Port = 0 });
        await server.StartAsync(CancellationToken.None);
        return new ClusterShell(server, await server.Listening);
    }

    public Task<ShellTestClient> ConnectAsync() => ShellTestClient.ConnectAsync(Endpoint);

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        _server.Dispose();
    }
}
