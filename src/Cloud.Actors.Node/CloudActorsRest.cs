using Cloud.Actors.Api.Application;
using Cloud.Actors.Api.Rest;
using Cloud.Actors.Api.Rest.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Cloud.Actors.Node;

/// <summary>The OpenStack REST API on controllers (HOCON cloud-actors.api), over the same NovaService and ImageService as the shell.</summary>
public static class CloudActorsRest
{
    public static IServiceCollection AddCloudActorsRest(this IServiceCollection services, NodeSettings settings)
    {
        if (!settings.IsController) return services;
        var options = RestOptions.FromConfig(settings.Config.GetConfig("cloud-actors.api"));
        services.AddSingleton(options);
        services.AddSingleton(new TokenStore(options.Identity, keys: options.TokenKeyRepository.Length == 0
            ? null
            : TokenKeyRepository.Load(Path.Combine(settings.StateDir, options.TokenKeyRepository))));
        services.AddSingleton(sp => new RestServer(options, sp.GetRequiredService<TokenStore>(), sp.GetRequiredService<NovaService>(),
            sp.GetRequiredService<ImageService>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<HealthCheckService>()));
        services.AddHostedService(sp => sp.GetRequiredService<RestServer>());
        return services;
    }
}
