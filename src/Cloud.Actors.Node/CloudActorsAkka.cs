using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Hosting;
using Cloud.Actors.Compute;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Scheduler;
using Cloud.Actors.Scheduler.Filters;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Fake;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Actors.Node;

/// <summary>Composes the actor system of a node from its roles: controller actors, compute actor, or both.</summary>
public static class CloudActorsAkka
{
    public static IServiceCollection AddCloudActors(this IServiceCollection services, NodeSettings settings)
    {
        services.AddSingleton(settings);
        return services.AddAkka(NodeSettings.SystemName, (akka, provider) =>
        {
            akka.AddHocon(settings.Config, HoconAddMode.Prepend);
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.WithActors((system, registry) =>
            {
                var singleton = ClusterSingletonManagerSettings.Create(system).WithRole(NodeRoles.Controller);
                var proxy = ClusterSingletonProxySettings.Create(system).WithRole(NodeRoles.Controller);
                var scheduler = system.ActorOf(ClusterSingletonProxy.Props("/user/scheduler", proxy), "scheduler-proxy");
                var directory = system.ActorOf(ClusterSingletonProxy.Props("/user/directory", proxy), "directory-proxy");
                registry.Register<SchedulerKey>(scheduler);
                registry.Register<DirectoryKey>(directory);

                if (settings.IsController)
                {
                    var ratios = Ratios(settings.Config.GetConfig("cloud-actors.scheduler"));
                    system.ActorOf(ClusterSingletonManager.Props(SchedulerActor.Props(ratios), PoisonPill.Instance, singleton), "scheduler");
                    system.ActorOf(ClusterSingletonManager.Props(DirectoryActor.Props(scheduler), PoisonPill.Instance, singleton), "directory");
                    registry.Register<CatalogKey>(system.ActorOf(CatalogActor.Props(), "catalog"));
                }

                if (settings.IsCompute)
                {
                    var computeConfig = settings.Config.GetConfig("cloud-actors.compute");
                    var hypervisor = Hypervisor(computeConfig, settings);
                    var compute = system.ActorOf(ComputeActor.Props(hypervisor, scheduler, directory, new ComputeSettings
                    {
                        Host = settings.NodeName,
                        AvailabilityZone = computeConfig.GetString("availability-zone"),
                        RegisterInterval = computeConfig.GetTimeSpan("register-interval"),
                        PowerSyncInterval = computeConfig.GetTimeSpan("power-sync-interval"),
                        ShutdownTimeout = computeConfig.GetTimeSpan("shutdown-timeout"),
                    }), "compute");
                    registry.Register<ComputeKey>(compute);
                }
            });
        });
    }

    private static AllocationRatios Ratios(Config c) => new(
        c.GetDouble("cpu-allocation-ratio"), c.GetDouble("ram-allocation-ratio"), c.GetDouble("disk-allocation-ratio"));

    private static IHypervisor Hypervisor(Config compute, NodeSettings settings) => compute.GetString("driver") switch
    {
        "fake" => new FakeHypervisor(new FakeHypervisorOptions
        {
            Hostname = settings.NodeName,
            Vcpus = compute.GetInt("fake.vcpus"),
            MemoryMb = compute.GetLong("fake.memory-mb"),
            DiskGb = compute.GetLong("fake.disk-gb"),
            Latency = compute.GetTimeSpan("fake.latency"),
            StatePath = Path.Combine(settings.StateDir, "fake-hypervisor.json"),
        }),
        var other => throw new ArgumentException(
            $"CLOUD_ACTORS_DRIVER: driver '{other}' is not available in this build (expected fake)"),
    };
}
