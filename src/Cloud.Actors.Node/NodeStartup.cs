using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Controller.Images;
using Microsoft.Extensions.Hosting;

namespace Cloud.Actors.Node;

/// <summary>
/// A controller's start-up work that needs the cluster's actors: importing the seed images into the store and
/// registering them in the catalog. It runs beside the node, never in the way of its start: while the catalog does not
/// answer (the cluster is forming, the singleton is being handed over, the machine is slow) it logs and tries again
/// with back-off, and the node is not ready meanwhile (<see cref="NodeReadiness"/>). Waiting never ends the process;
/// only a seed configuration that cannot be read does, at once and with its reason.
/// </summary>
public sealed class NodeStartup : BackgroundService
{
    private const string Seeding = "image seeds";

    private readonly NodeSettings _settings;
    private readonly NodeReadiness _readiness;
    private readonly ActorSystem _system;
    private readonly IRequiredActor<CatalogKey> _catalog;

    public NodeStartup(NodeSettings settings, NodeReadiness readiness, ActorSystem system, IRequiredActor<CatalogKey> catalog)
    {
        (_settings, _readiness, _system, _catalog) = (settings, readiness, system, catalog);
        _readiness.Pending(Seeding, "not started");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var log = Logging.GetLogger(_system, typeof(NodeStartup));
        var seeds = ImageSeed.FromConfig(_settings.Config.GetConfig("cloud-actors.images"));
        var seeder = new ImageSeeder(NodeImages.Store(_settings), await _catalog.GetAsync(stoppingToken), _settings.AskTimeout,
            Logging.GetLogger(_system, typeof(ImageSeeder)));
        await StartupBackoff.Of(_settings).RetryAsync(async attempt =>
            {
                _readiness.Pending(Seeding, attempt == 1 ? "seeding" : $"attempt {attempt}");
                await seeder.SeedAsync(seeds, stoppingToken);
                _readiness.Done(Seeding);
                if (attempt > 1) log.Info("Image seeds registered (attempt {0})", attempt);
            },
            // Whatever it is (the catalog away, a seed file not readable yet, an answer lost in a hand-over), the node
            // keeps running, not ready, and says why.
            transient: _ => true,
            retrying: (e, attempt, delay) =>
            {
                _readiness.Pending(Seeding, $"attempt {attempt} failed: {e.Message}");
                log.Warning("Image seeds not registered yet ({0}); trying again in {1:0.#} s", e.Message, delay.TotalSeconds);
            }, stoppingToken);
    }
}
