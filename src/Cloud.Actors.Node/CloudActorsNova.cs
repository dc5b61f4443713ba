using Akka.Actor;
using Akka.Hosting;
using Cloud.Actors.Api.Application;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cloud.Actors.Node;

/// <summary>
/// The one NovaService of a controller, shared by the shell's nova palette and the REST API so the two can never
/// disagree: both register it through here, and whichever comes first makes it.
/// </summary>
public static class CloudActorsNova
{
    public static IServiceCollection AddNovaService(this IServiceCollection services, NodeSettings settings)
    {
        services.TryAddSingleton(sp =>
        {
            var registry = sp.GetRequiredService<ActorRegistry>();
            return new NovaService(registry.Get<CatalogKey>(), registry.Get<DirectoryKey>(), registry.Get<SchedulerKey>(), settings.AskTimeout,
                sp.GetRequiredService<ActorSystem>());
        });
        return services;
    }
}
