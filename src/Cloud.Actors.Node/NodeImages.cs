using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute.Images;
using Cloud.Actors.Controller.Images;

namespace Cloud.Actors.Node;

/// <summary>
/// The image parts of a node: the image store, its service at /user/images and the seeding on controllers; the
/// image cache and its periodic manager on compute hosts. Kept here so <see cref="NodeActors"/> only calls in.
/// </summary>
public static class NodeImages
{
    /// <summary>
    /// Registers Akka.Streams' stream-ref serializer in <paramref name="system"/>: it comes with Akka.Streams'
    /// default config, which is only injected when a materializer is first created, and an image offer's SourceRef
    /// must be readable on arrival even on a node that has not streamed anything yet.
    /// </summary>
    public static void PrepareStreams(ActorSystem system) => ActorMaterializer.Create(system);

    /// <summary>The store on cloud-actors.images.path (relative: under the state dir).</summary>
    public static ImageStore Store(NodeSettings settings) =>
        new(Path.Combine(settings.StateDir, settings.Config.GetString("cloud-actors.images.path", "images")));

    /// <summary>Starts /user/images on a controller.</summary>
    public static IActorRef StartService(ActorSystem system, NodeSettings settings, IActorRef catalog) =>
        system.ActorOf(ImageServiceActor.Props(Store(settings), catalog, settings.AskTimeout), "images");

    /// <summary>
    /// The image application layer (Glance's API) over <paramref name="catalog"/> and the same store directory
    /// /user/images serves from: an uploaded image is at once fetchable by the compute hosts.
    /// </summary>
    public static ImageService Service(NodeSettings settings, IActorRef catalog) => new(catalog, Store(settings), settings.AskTimeout);

    /// <summary>Imports and registers cloud-actors.images.seed; a misconfigured seed list fails the start with its reason.</summary>
    public static async Task SeedAsync(ActorSystem system, NodeSettings settings, IActorRef catalog)
    {
        var seeds = ImageSeed.FromConfig(settings.Config.GetConfig("cloud-actors.images"));
        if (seeds.Count == 0) return;
        var seeder = new ImageSeeder(Store(settings), catalog, settings.AskTimeout, Logging.GetLogger(system, typeof(ImageSeeder)));
        await seeder.SeedAsync(seeds);
    }

    /// <summary>The host's instances/ (cloud-actors.compute.instances-path; relative: under the state dir).</summary>
    public static string InstancesPath(NodeSettings settings) =>
        Path.Combine(settings.StateDir, settings.Config.GetString("cloud-actors.compute.instances-path", "instances"));

    /// <summary>The host's image cache over the controllers' image service, for the driver's instance storage.</summary>
    public static ImageCache Cache(ActorSystem system, NodeSettings settings) =>
        new(InstancesPath(settings), new ClusterImageSource(system, settings.AskTimeout), log: Logging.GetLogger(system, typeof(ImageCache)));

    /// <summary>Starts the image cache manager on a compute host, at /user/image-cache-manager.</summary>
    public static IActorRef StartCacheManager(ActorSystem system, NodeSettings settings)
    {
        var config = settings.Config.GetConfig("cloud-actors.compute.image-cache");
        var cacheSettings = new ImageCacheSettings
        {
            Interval = config.GetTimeSpan("interval"),
            RemoveUnusedBaseImages = config.GetBoolean("remove-unused-base-images"),
            RemoveUnusedOriginalMinimumAge = config.GetTimeSpan("remove-unused-original-minimum-age"),
        };
        var manager = new ImageCacheManager(InstancesPath(settings), settings.NodeName, cacheSettings);
        return system.ActorOf(ImageCacheManagerActor.Props(manager, cacheSettings.Interval), "image-cache-manager");
    }
}
