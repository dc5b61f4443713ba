using Akka.Actor;
using Akka.Hosting;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Messages;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cloud.Actors.Node;

/// <summary>
/// The node's own readiness checks, beside Akka.Hosting's (cluster member Up, journal and snapshot store answer):
/// its start-up work is done, and the actors it serves answer — the singletons on a controller, its compute actor
/// (recovered from its journal, registering) on a compute host. /healthcheck is 200 only when all pass. Once the
/// singletons have answered, their silence is Degraded, not Unhealthy: when the oldest controller dies every
/// controller loses them for the ~10 s of the hand-over, and the requests meanwhile wait for the new ones
/// (<see cref="RegisteredActor.AskIdempotent{T}"/>), so no controller should be taken out of a load balancer for it.
/// </summary>
public static class NodeHealthChecks
{
    /// <summary>How long one actor may take to answer a health probe.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static AkkaConfigurationBuilder WithNodeHealthChecks(this AkkaConfigurationBuilder akka, NodeSettings settings, NodeReadiness readiness)
    {
        akka.WithHealthCheck("cloud-actors-startup", (_, _, _) => Task.FromResult(readiness.Waiting() is { } waiting
            ? HealthCheckResult.Unhealthy($"start-up work pending: {waiting}")
            : HealthCheckResult.Healthy("start-up work done")), HealthStatus.Unhealthy, PersistenceHosting.ReadinessTags);
        if (settings.IsController)
        {
            var answeredOnce = false;
            akka.WithHealthCheck("cloud-actors-singletons", async (_, registry, ct) =>
            {
                var result = await Answers(
                [
                    ("catalog", registry.Get<CatalogKey>(), GetCatalog.Instance),
                    ("scheduler", registry.Get<SchedulerKey>(), GetHosts.Instance),
                    ("directory", registry.Get<DirectoryKey>(), new FindInstance(Guid.Empty.ToString(), null)),
                    ("network", registry.Get<NetworkKey>(), new ListPorts(null, DeviceId: Guid.Empty.ToString())),
                ], ct);
                if (result.Status == HealthStatus.Healthy) answeredOnce = true;
                return result.Status != HealthStatus.Healthy && answeredOnce
                    ? HealthCheckResult.Degraded($"{result.Description} (being handed over, or busy; requests wait for them)")
                    : result;
            }, HealthStatus.Unhealthy, PersistenceHosting.ReadinessTags);
        }
        if (settings.IsCompute)
            akka.WithHealthCheck("cloud-actors-compute", async (_, registry, ct) =>
                registry.TryGet<ComputeKey>(out var compute)
                    ? await Answers([("compute host", compute, GetHostStatus.Instance)], ct)
                    : HealthCheckResult.Unhealthy("the compute actor is not started"), HealthStatus.Unhealthy, PersistenceHosting.ReadinessTags);
        return akka;
    }

    private static async Task<HealthCheckResult> Answers(IReadOnlyList<(string Name, IActorRef Actor, object Probe)> actors, CancellationToken ct)
    {
        var silent = new List<string>();
        await Task.WhenAll(actors.Select(async a =>
        {
            try
            {
                await a.Actor.Ask<object>(a.Probe, ProbeTimeout, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                lock (silent) silent.Add(a.Name);
            }
        }));
        return silent.Count == 0
            ? HealthCheckResult.Healthy($"{string.Join(", ", actors.Select(a => a.Name))} answer")
            : HealthCheckResult.Unhealthy($"no answer within {ProbeTimeout.TotalSeconds:0} s from {string.Join(", ", silent.Order())}");
    }
}
