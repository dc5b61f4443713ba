using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cloud.Actors.Api.Shell;

public static class ShellServiceCollectionExtensions
{
    /// <summary>
    /// Adds the management shell: the dispatcher over every registered
    /// <see cref="IShellPalette"/> and the TCP server (a hosted service, also resolvable
    /// as <see cref="ShellServer"/> to learn its bound endpoint).
    /// </summary>
    public static IServiceCollection AddShell(this IServiceCollection services, ShellOptions? options = null)
    {
        services.TryAddSingleton(options ?? new ShellOptions());
        services.TryAddSingleton<ShellDispatcher>();
        services.TryAddSingleton<ShellServer>();
        services.AddHostedService(provider => provider.GetRequiredService<ShellServer>());
        return services;
    }

    /// <summary>Registers a palette built by the container (its constructor dependencies resolved from it).</summary>
    public static IServiceCollection AddShellPalette<TPalette>(this IServiceCollection services)
        where TPalette : class, IShellPalette
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IShellPalette, TPalette>());
        return services;
    }
}
