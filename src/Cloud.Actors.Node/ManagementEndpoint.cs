using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Cloud.Actors.Api.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using static Akka.Management.Cluster.Bootstrap.ContactPoint.HttpBootstrapJsonProtocol;

namespace Cloud.Actors.Node;

/// <summary>
/// The node's management endpoint on cloud-actors.management (every node, compute hosts included):
/// <list type="bullet">
/// <item><c>GET /bootstrap/seed-nodes</c>, cluster bootstrap's contact point, answered as Akka.Management's own route
/// answers it (the same JSON protocol types, serialized as it serializes them) so other nodes' bootstrap coordinators
/// can probe this one;</item>
/// <item><c>GET /cluster/members</c>: every member this node knows, with its incarnation (uid), status and whether
/// this node reaches it (<see cref="ClusterMembership"/>): a node about to join asks it whether an incarnation of its
/// own address is still a member (<see cref="PreviousIncarnation"/>);</item>
/// <item><c>GET /healthcheck</c>: 200 "OK" when the node is ready, else 503 with what is not.</item>
/// </list>
/// Akka.Management's own HTTP server (Ceen.Httpd through Akka.Http.Shim) cannot start here: Akka.Management 1.5.73
/// calls a Ceen.Httpd 0.9.9 method that 0.9.10, the only version served, no longer has (MissingMethodException). So
/// the route is served by ASP.NET Core, which the node has anyway, and the bootstrap itself is Akka.Management's.
/// </summary>
public sealed class ManagementEndpoint(NodeSettings settings, ActorSystem system, HealthCheckService health, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The URI other nodes reach the contact point of the node with <paramref name="settings"/> at.</summary>
    public static Uri UriOf(NodeSettings settings) => new($"http://{settings.ManagementHost}:{settings.ManagementPort}/");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "cloud-actors-management" });
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggers));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(settings.ManagementHost), settings.ManagementPort);
        });
        var app = builder.Build();
        app.MapGet("/bootstrap/seed-nodes", SeedNodes);
        app.MapGet("/cluster/members", () => Results.Json(ClusterMembership.Of(Cluster.Get(system))));
        app.MapMethods("/healthcheck", [HttpMethods.Get, HttpMethods.Head], (Delegate)Health);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"the management endpoint cannot listen on {settings.ManagementHost}:{settings.ManagementPort}: {e.Message}", e);
        }
        _app = app;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>As Akka.Management's HttpClusterBootstrapRoutes: this node's members that are reachable and Up/WeaklyUp/Joining.</summary>
    private Task SeedNodes(HttpContext http)
    {
        var cluster = Cluster.Get(system);
        var self = cluster.SelfMember;
        var members = self.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving or MemberStatus.Removed
            ? ImmutableList<ClusterMember>.Empty
            : cluster.State.Members
                .Where(m => !cluster.State.Unreachable.Contains(m))
                .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
                .Select(m => new ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
                .ToImmutableList();
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonConvert.SerializeObject(new SeedNodes(self.UniqueAddress.Address, members)));
    }

    private async Task<IResult> Health(HttpContext http)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(RestServer.ReadinessTag), http.RequestAborted);
        return HealthText.Of(report);
    }
}
