using Akka.Actor;
using Akka.Hosting;
using Cloud.Actors.Controller.Images;
using Cloud.Actors.Domain.Catalog;
using Microsoft.Extensions.Logging;

namespace Cloud.Actors.Node;

/// <summary>The registry key of a controller's /user/image-replicator.</summary>
public sealed class ImageReplicatorKey;

/// <summary>
/// A controller's image store as the image API writes to it: an upload is stored here, then copied to every other Up
/// controller (<see cref="ImageReplicator"/>) before the API makes the image active, so the image outlives the
/// controller it was uploaded through. A controller that could not take its copy gets it at its next sync.
/// </summary>
public sealed class ReplicatedImageStore(ImageStore local, IRequiredActor<ImageReplicatorKey> replicator, ImageReplicationSettings settings,
    ILogger<ReplicatedImageStore> log) : IImageDataStore
{
    public async Task<ImageData> ImportAsync(string imageId, Stream content, CancellationToken ct = default)
    {
        var stored = await local.ImportAsync(imageId, content, ct);
        // The upload is done once the bytes are here; the copies are best effort. The replicator always answers
        // (its own wait is the pulls' timeout after finding the image service), so the margin here is a second ask
        // timeout; a controller without a copy pulls it at its next sync.
        try
        {
            var replicated = await (await replicator.GetAsync(ct)).Ask<ImageReplicated>(
                new ReplicateImage(imageId, stored.SizeBytes, stored.Checksum), settings.PullTimeout(stored.SizeBytes) + 2 * settings.AskTimeout, ct);
            if (replicated.Failures.Length > 0)
                log.LogWarning("Image {ImageId}: {Copies} controller(s) hold it; no copy on the others yet: {Failures}",
                    imageId, replicated.Copies, string.Join("; ", replicated.Failures));
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning("Image {ImageId}: stored here; the other controllers did not confirm their copies ({Reason}), they pull it at their next sync",
                imageId, e.Message);
        }
        return new ImageData(stored.SizeBytes, stored.Checksum);
    }

    public ImageData? Find(string imageId) => ((IImageDataStore)local).Find(imageId);

    public Stream OpenRead(string imageId) => local.OpenRead(imageId);

    /// <summary>Here only: the other controllers remove their copies once the catalog no longer lists the image.</summary>
    public bool Delete(string imageId) => local.Delete(imageId);
}
