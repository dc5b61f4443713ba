using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Actors.Node;

/// <summary>Hosts a node's actor system with Akka.Hosting: its HOCON, logging through Microsoft.Extensions.Logging, and its actors.</summary>
public static class CloudActorsAkka
{
    public static IServiceCollection AddCloudActors(this IServiceCollection services, NodeSettings settings)
    {
        services.AddSingleton(settings);
        return services.AddAkka(NodeSettings.SystemName, (akka, _) =>
        {
            akka.AddHocon(settings.Config, HoconAddMode.Prepend);
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.WithActors(async (system, registry) =>
            {
                var actors = await NodeActors.StartAsync(system, settings);
                registry.Register<SchedulerKey>(actors.Scheduler);
                registry.Register<DirectoryKey>(actors.Directory);
                if (actors.Catalog is not null) registry.Register<CatalogKey>(actors.Catalog);
                if (actors.Compute is not null) registry.Register<ComputeKey>(actors.Compute);
            });
        });
    }
}
