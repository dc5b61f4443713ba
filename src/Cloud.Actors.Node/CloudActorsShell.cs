using Akka.Actor;
using Akka.Hosting;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Api.Shell;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Actors.Node;

/// <summary>The management shell of a node: the cluster palette everywhere, the nova palette on controllers.</summary>
public static class CloudActorsShell
{
    public static IServiceCollection AddCloudActorsShell(this IServiceCollection services, NodeSettings settings)
    {
        services.AddShell(new ShellOptions { Host = settings.ShellHost, Port = settings.ShellPort });
        services.AddSingleton<IShellPalette>(sp => new ClusterPalette(sp.GetRequiredService<ActorSystem>()));
        if (settings.IsController)
        {
            services.AddSingleton(sp =>
            {
                var registry = sp.GetRequiredService<ActorRegistry>();
                return new NovaService(registry.Get<CatalogKey>(), registry.Get<DirectoryKey>(), registry.Get<SchedulerKey>(), settings.AskTimeout,
                    sp.GetRequiredService<ActorSystem>());
            });
            services.AddSingleton<IShellPalette>(sp => new NovaPalette(sp.GetRequiredService<NovaService>));
        }
        return services;
    }
}
