using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Controller.Images;

/// <summary>
/// The controller's image service at /user/images (Glance's download, for compute hosts): answers
/// <see cref="FetchImage"/> with the catalog's record and the stored bytes as a SourceRef the host pulls in
/// 64 KiB chunks, or with <see cref="ImageFetchRejected"/>. The file is opened only when the host subscribes.
/// Other controllers' replicators get the stored bytes alone (<see cref="FetchStoredImage"/>).
/// </summary>
public sealed class ImageServiceActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ImageStore _store;
    private IMaterializer? _materializer;

    public ImageServiceActor(ImageStore store, IActorRef catalog, TimeSpan askTimeout)
    {
        _store = store;

        Receive<FetchImage>(fetch =>
        {
            if (!ImageId.IsValid(fetch.ImageId))
            {
                Sender.Tell(new ImageFetchRejected(fetch.ImageId, $"Invalid image id '{fetch.ImageId}'.", 400));
                return;
            }
            var requester = Sender;
            catalog.Ask<CatalogView>(GetCatalog.Instance, askTimeout)
                .PipeTo(Self, success: view => new CatalogRead(fetch.ImageId, view, requester),
                    failure: e => new CatalogUnavailable(fetch.ImageId, e, requester));
        });
        Receive<FetchStoredImage>(OfferStored);
        Receive<CatalogRead>(Offer);
        Receive<CatalogUnavailable>(u =>
        {
            _log.Warning("Image {0}: the catalog did not answer ({1})", u.ImageId, u.Cause.Message);
            u.Requester.Tell(new ImageFetchRejected(u.ImageId, $"Image {u.ImageId}: the catalog did not answer: {u.Cause.Message}", 503));
        });
    }

    public static Props Props(ImageStore store, IActorRef catalog, TimeSpan askTimeout) =>
        Akka.Actor.Props.Create(() => new ImageServiceActor(store, catalog, askTimeout));

    protected override void PreStart() => _materializer = Context.Materializer();

    private void Offer(CatalogRead read)
    {
        var id = read.ImageId;
        var image = read.Catalog.Images.FirstOrDefault(i => i.Id == id);
        if (image is null)
        {
            read.Requester.Tell(new ImageFetchRejected(id, $"Image {id} could not be found.", 404));
            return;
        }
        if (image.Status != "active")
        {
            read.Requester.Tell(new ImageFetchRejected(id, $"Image {id} is not active (status {image.Status}).", 409));
            return;
        }
        var stored = _store.Find(id);
        if (stored is null)
        {
            read.Requester.Tell(new ImageFetchRejected(id, $"Image {id} has no data in the image store.", 404));
            return;
        }

        // The store's size and md5 are those of the bytes actually sent, whatever the record said.
        var offered = image with { SizeBytes = stored.SizeBytes, Checksum = stored.Checksum };
        var bytes = FileIO.FromFile(new FileInfo(stored.Path), ImageStore.ChunkSize)
            .RunWith(StreamRefs.SourceRef<ByteString>(), _materializer!);
        _log.Info("Image {0}: offering {1} bytes (md5 {2}) to {3}", id, stored.SizeBytes, stored.Checksum, read.Requester.Path);
        bytes.PipeTo(read.Requester, success: sourceRef => new ImageOffer(offered, sourceRef),
            failure: e => new ImageFetchRejected(id, $"Image {id} could not be streamed: {e.Message}", 500));
    }

    /// <summary>For another controller's replicator: the bytes stored here, whatever the image's status in the catalog.</summary>
    private void OfferStored(FetchStoredImage fetch)
    {
        var stored = ImageId.IsValid(fetch.ImageId) ? _store.Find(fetch.ImageId) : null;
        if (stored is null)
        {
            Sender.Tell(new ImageFetchRejected(fetch.ImageId, $"Image {fetch.ImageId} has no data in this controller's image store.", 404));
            return;
        }
        var requester = Sender;
        FileIO.FromFile(new FileInfo(stored.Path), ImageStore.ChunkSize)
            .RunWith(StreamRefs.SourceRef<ByteString>(), _materializer!)
            .PipeTo(requester, success: bytes => new StoredImageOffer(stored.ImageId, stored.SizeBytes, stored.Checksum, bytes),
                failure: e => new ImageFetchRejected(stored.ImageId, $"Image {stored.ImageId} could not be streamed: {e.Message}", 500));
    }

    private sealed record CatalogRead(string ImageId, CatalogView Catalog, IActorRef Requester);

    private sealed record CatalogUnavailable(string ImageId, Exception Cause, IActorRef Requester);
}
