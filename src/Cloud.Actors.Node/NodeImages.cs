using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute.Images;
using Cloud.Actors.Controller.Images;

namespace Cloud.Actors.Node;

/// <summary>
/// The image parts of a node: the image store and its service at /user/images on controllers; the image cache and
/// its periodic manager on compute hosts.
/// </summary>
public static class NodeImages
{
    /// <summary>
    /// Registers Akka.Streams' stream-ref serializer in <paramref name="system"/>, for an actor system made without
    /// Akka.Hosting (whose AddAkka adds Akka.Streams' configuration itself): an image offer's SourceRef must be
    /// readable on arrival even on a node that has not streamed anything yet.
    /// </summary>
    public static void PrepareStreams(ActorSystem system) => ActorMaterializer.Create(system);

    /// <summary>The store on cloud-actors.images.path (relative: under the state dir).</summary>
    public static ImageStore Store(NodeSettings settings) =>
        new(Path.Combine(settings.StateDir, settings.Config.GetString("cloud-actors.images.path", "images")));

    /// <summary>/user/images and /user/image-replicator on a controller, over the store and the catalog singleton.</summary>
    public static AkkaConfigurationBuilder WithImageService(this AkkaConfigurationBuilder akka, NodeSettings settings) =>
        akka.WithActors((system, registry) =>
        {
            system.ActorOf(ImageServiceActor.Props(Store(settings), registry.Get<CatalogKey>(), settings.AskTimeout), "images");
            registry.Register<ImageReplicatorKey>(system.ActorOf(
                ImageReplicator.Props(Store(settings), registry.Get<CatalogKey>(), Replication(settings)), "image-replicator"));
        });

    /// <summary>cloud-actors.images.replication: how the controllers keep each other's image stores complete.</summary>
    public static ImageReplicationSettings Replication(NodeSettings settings)
    {
        var config = settings.Config.GetConfig("cloud-actors.images.replication");
        return new ImageReplicationSettings
        {
            ControllerRole = NodeRoles.Controller,
            AskTimeout = settings.AskTimeout,
            FirstSync = config.GetTimeSpan("first-sync"),
            SyncInterval = config.GetTimeSpan("sync-interval"),
            OrphanGrace = config.GetTimeSpan("orphan-grace"),
        };
    }

    /// <summary>The image cache manager of a compute host, at /user/image-cache-manager.</summary>
    public static AkkaConfigurationBuilder WithImageCacheManager(this AkkaConfigurationBuilder akka, NodeSettings settings) =>
        akka.WithActors((system, _) =>
        {
            var config = settings.Config.GetConfig("cloud-actors.compute.image-cache");
            var cacheSettings = new ImageCacheSettings
            {
                Interval = config.GetTimeSpan("interval"),
                RemoveUnusedBaseImages = config.GetBoolean("remove-unused-base-images"),
                RemoveUnusedOriginalMinimumAge = config.GetTimeSpan("remove-unused-original-minimum-age"),
            };
            var manager = new ImageCacheManager(InstancesPath(settings), settings.NodeName, cacheSettings);
            system.ActorOf(ImageCacheManagerActor.Props(manager, cacheSettings.Interval), "image-cache-manager");
        });

    /// <summary>The host's instances/ (cloud-actors.compute.instances-path; relative: under the state dir).</summary>
    public static string InstancesPath(NodeSettings settings) =>
        Path.Combine(settings.StateDir, settings.Config.GetString("cloud-actors.compute.instances-path", "instances"));

    /// <summary>The host's image cache over the controllers' image service, for the driver's instance storage.</summary>
    public static ImageCache Cache(ActorSystem system, NodeSettings settings) =>
        new(InstancesPath(settings), new ClusterImageSource(system, settings.AskTimeout), log: Logging.GetLogger(system, typeof(ImageCache)));
}
