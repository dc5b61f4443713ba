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
            services.AddNovaService(settings);
            services.AddSingleton<IShellPalette>(sp => new NovaPalette(sp.GetRequiredService<NovaService>));
        }
        return services;
    }
}
