using Akka.Actor;
using Akka.Hosting;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Api.Shell;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Actors.Node;

/// <summary>
/// The management shell of a node: the cluster and actor palettes everywhere, the nova and image palettes on
/// controllers, the host palette on compute hosts.
/// </summary>
public static class CloudActorsShell
{
    public static IServiceCollection AddCloudActorsShell(this IServiceCollection services, NodeSettings settings)
    {
        services.AddShell(new ShellOptions { Host = settings.ShellHost, Port = settings.ShellPort });
        // The role the singletons run on (CloudActorsHosting), so the palette says where they are.
        services.AddSingleton<IShellPalette>(sp => new ClusterPalette(sp.GetRequiredService<ActorSystem>(), NodeRoles.Controller));
        services.AddSingleton<IShellPalette>(sp => new ActorPalette(sp.GetRequiredService<ActorSystem>()));
        if (settings.IsController)
        {
            services.AddSingleton<IShellPalette>(sp => new NovaPalette(sp.GetRequiredService<NovaService>()));
            services.AddSingleton<IShellPalette>(sp => new ImagePalette(sp.GetRequiredService<ImageService>()));
        }
        if (settings.IsCompute)
            services.AddSingleton<IShellPalette>(sp => new HostPalette(sp.GetRequiredService<ActorSystem>(), settings.AskTimeout));
        return services;
    }
}
