using System.Net;
using System.Text.Json.Nodes;
using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Api.Rest.Compute;
using Cloud.Actors.Api.Rest.Identity;
using Cloud.Actors.Api.Rest.Image;
using Cloud.Actors.Api.Rest.Metadata;
using Cloud.Actors.Api.Rest.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Actors.Api.Rest;

/// <summary>
/// The OpenStack REST API of a controller: one Kestrel application per service (identity, compute, image, network),
/// each on its own port as in devstack, all sharing the token store and the application layer
/// (<see cref="NovaService"/> and <see cref="ImageService"/>). Every port answers <c>GET /healthcheck</c>, as
/// oslo.middleware's healthcheck does for Nova and Glance: 200 "OK" when <paramref name="health"/>'s readiness checks
/// pass, else 503 with what fails.
/// </summary>
public sealed class RestServer(RestOptions options, TokenStore tokens, NovaService nova, ImageService images,
    ILoggerFactory? loggers = null, HealthCheckService? health = null) : IHostedService, IAsyncDisposable
{
    /// <summary>The tag of the checks /healthcheck runs (the node's readiness).</summary>
    public const string ReadinessTag = "ready";

    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;
    private readonly List<WebApplication> _apps = [];

    /// <summary>Where each service listens, filled in by <see cref="StartAsync"/> (real ports when configured as 0).</summary>
    public ServiceUrls Urls { get; } = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = _loggers.CreateLogger<RestServer>();
        if (!options.Enabled)
        {
            logger.LogInformation("OpenStack API disabled (cloud-actors.api.enabled = off)");
            return;
        }
        Urls.Identity = await Start("identity", options.IdentityPort, app =>
        {
            app.Use(IdentityErrors);
            new IdentityEndpoints(tokens, Urls).Map(app);
            new IdentityResourcesEndpoints(tokens, Urls).Map(app);
        }, cancellationToken);
        Urls.Compute = await Start("compute", options.ComputePort, app =>
        {
            app.Use(ComputeErrors);
            app.Use(RequestIds);
            app.UseWhen(http => http.Request.Path.StartsWithSegments("/v2.1"), branch => branch.Use(Microversions.Negotiate));
            ComputeVersions.Map(app);
            var api = Authenticated(app.MapGroup("/v2.1"));
            new ServersEndpoints(nova).Map(api);
            new ServerActionsEndpoints(nova).Map(api);
            new InstanceActionsEndpoints(nova).Map(api);
            new FlavorsEndpoints(nova).Map(api);
            new KeyPairsEndpoints(nova).Map(api);
            new HypervisorsEndpoints(nova).Map(api);
            new ServicesEndpoints(nova).Map(api);
            new AggregatesEndpoints(nova).Map(api);
            new AvailabilityZonesEndpoints(nova).Map(api);
            new LimitsEndpoints(nova).Map(api);
        }, cancellationToken);
        Urls.Image = await Start("image", options.ImagePort, app =>
        {
            app.Use(ImageErrors);
            var endpoints = new ImagesEndpoints(images, Urls);
            endpoints.MapVersions(app);
            var api = Authenticated(app.MapGroup(""));
            endpoints.Map(api);
            new ImageDataEndpoints(images, options.MaxImageBytes).Map(api);
        }, cancellationToken);
        Urls.Network = await Start("network", options.NetworkPort, app =>
        {
            app.Use(NetworkErrors);
            var networks = new NetworksEndpoints(nova.Neutron, Urls);
            networks.MapVersions(app);
            networks.Map(Authenticated(app.MapGroup("")));
        }, cancellationToken);
        if (options.MetadataPort >= 0)
            Urls.Metadata = await Start("metadata", options.MetadataPort, app => new MetadataEndpoints(nova, options.MetadataSecret).Map(app), cancellationToken);
        logger.LogInformation("OpenStack API: identity {Identity}/v3, compute {Compute}/v2.1, image {Image}, network {Network}, metadata {Metadata}",
            Urls.Identity, Urls.Compute, Urls.Image, Urls.Network, Urls.Metadata);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var app in _apps) await app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        _apps.Clear();
    }

    private async Task<string> Start(string service, int port, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = $"cloud-actors-{service}" });
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(_loggers));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            Listen(kestrel, options.Host, port);
        });
        var app = builder.Build();
        var requests = _loggers.CreateLogger($"Cloud.Actors.Api.Rest.{char.ToUpperInvariant(service[0])}{service[1..]}");
        app.Use((http, next) => LogRequest(requests, http, next));
        app.MapMethods("/healthcheck", [HttpMethods.Get, HttpMethods.Head], (Delegate)HealthCheck);
        map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"the {service} API cannot listen on {options.Host}:{port}: {ex.Message}", ex);
        }
        _apps.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Kestrel reports wildcard binds as http://[::]:port; clients need an address they can reach.
        var uri = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        return $"{uri.Scheme}://{uri.Host}:{uri.Port}";
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, string host, int port)
    {
        if (host is "*" or "0.0.0.0") kestrel.ListenAnyIP(port);
        else if (host == "localhost") kestrel.ListenLocalhost(port);
        else kestrel.Listen(IPAddress.Parse(host), port);
    }

    /// <summary>oslo.middleware's healthcheck: no token needed, plain text, 200 "OK" or 503 with the failing checks.</summary>
    private async Task<IResult> HealthCheck(HttpContext http)
    {
        if (health is null) return Results.Text("OK\n");
        return HealthText.Of(await health.CheckHealthAsync(check => check.Tags.Contains(ReadinessTag), http.RequestAborted));
    }

    private RouteGroupBuilder Authenticated(RouteGroupBuilder group)
    {
        group.AddEndpointFilterFactory((_, next) => TokenAuthentication.Filter(tokens, Urls, next));
        return group;
    }

    /// <summary>One line per request (ASP.NET's own request logs are several, and left at Warning by the node).</summary>
    private static async Task LogRequest(ILogger logger, HttpContext http, RequestDelegate next)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            logger.LogInformation("{Method} {Path}{Query} {Status} {Elapsed:0.0} ms", http.Request.Method, http.Request.Path,
                http.Request.QueryString, http.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Nova's request ids, which the clients print with --debug.</summary>
    private static Task RequestIds(HttpContext http, RequestDelegate next)
    {
        var id = $"req-{Guid.NewGuid()}";
        http.Response.Headers["x-openstack-request-id"] = id;
        http.Response.Headers["x-compute-request-id"] = id;
        return next(http);
    }

    /// <summary>Refusals of the application layer and of the request itself as Nova's fault bodies.</summary>
    private Func<HttpContext, RequestDelegate, Task> ComputeErrors => Errors(ComputeFault.Result);

    /// <summary>Refusals as Neutron's error bodies ({"NeutronError": {"type", "message", "detail"}}).</summary>
    private Func<HttpContext, RequestDelegate, Task> NetworkErrors => async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (NeutronException ex) when (!http.Response.HasStarted)
        {
            await NetworksEndpoints.Error(ex.Code, ex.Type, ex.Message).ExecuteAsync(http);
        }
        catch (Exception ex) when (!http.Response.HasStarted && Fault(ex) is var (code, message))
        {
            if (code >= 500) _loggers.CreateLogger<RestServer>().LogError(ex, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
            var type = code switch
            {
                400 => "HTTPBadRequest", 401 => "HTTPUnauthorized", 403 => "HTTPForbidden", 404 => "HTTPNotFound", 409 => "HTTPConflict",
                413 => "HTTPRequestEntityTooLarge", 415 => "HTTPUnsupportedMediaType", 503 => "HTTPServiceUnavailable", _ => "HTTPInternalServerError",
            };
            await NetworksEndpoints.Error(code, type, message).ExecuteAsync(http);
        }
    };

    /// <summary>Refusals as Glance's error pages.</summary>
    private Func<HttpContext, RequestDelegate, Task> ImageErrors => Errors(ImageFault.Result);

    /// <summary>Refusals as keystone's error bodies, titled with the status's reason phrase.</summary>
    private Func<HttpContext, RequestDelegate, Task> IdentityErrors => Errors((code, message) =>
        IdentityEndpoints.Error(code, code == 413 ? "Request Entity Too Large" : ReasonPhrases(code), message));

    /// <summary>
    /// One service's error middleware: whatever a request throws before its answer has started becomes that
    /// service's error shape (<paramref name="fault"/>); server-side failures are logged.
    /// </summary>
    private Func<HttpContext, RequestDelegate, Task> Errors(Func<int, string, IResult> fault) => async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (Exception ex) when (!http.Response.HasStarted && Fault(ex) is var (code, message))
        {
            if (code >= 500) _loggers.CreateLogger<RestServer>().LogError(ex, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
            await fault(code, message).ExecuteAsync(http);
        }
    };

    private static (int Code, string Message) Fault(Exception ex) => ex switch
    {
        NovaException nova => (nova.Code, nova.Message),
        MalformedBodyException => (400, "Malformed request body"),
        UnsupportedContentTypeException unsupported => (415, unsupported.Message),
        InvalidTextException invalid => (400, invalid.Message),
        BadHttpRequestException { StatusCode: 413 } => (413, "Request is too large."),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        AskTimeoutException => (503, "The cloud did not answer in time; try again."),
        _ => (500, "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible."),
    };

    private static string ReasonPhrases(int code) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code);
}
