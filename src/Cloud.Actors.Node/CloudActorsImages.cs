using Akka.Hosting;
using Cloud.Actors.Api.Application;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cloud.Actors.Node;

/// <summary>
/// The image application layer of a controller: the catalog's records and the same image store directory that
/// /user/images serves the compute hosts from, so an uploaded image is at once fetchable into their _base.
/// </summary>
public static class CloudActorsImages
{
    public static IServiceCollection AddImageService(this IServiceCollection services, NodeSettings settings)
    {
        services.TryAddSingleton(sp =>
            NodeImages.Service(settings, sp.GetRequiredService<ActorRegistry>().Get<CatalogKey>()));
        return services;
    }
}
