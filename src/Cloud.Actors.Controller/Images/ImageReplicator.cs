using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Controller.Images;

/// <summary>
/// Keeps this controller's image store a full copy of the cluster's images (at /user/image-replicator on every
/// controller), so an image uploaded through any controller can be booted after that controller is gone:
/// <list type="bullet">
/// <item>an upload here is pulled by every other Up controller before the image becomes active
/// (<see cref="ReplicateImage"/>, answered once they have stored it or failed);</item>
/// <item>at start and every sync interval, an active image this store lacks (a controller that was down, or new) is
/// pulled from another controller, and bytes of images no longer in the catalog (for longer than a grace period)
/// are removed.</item>
/// </list>
/// Bytes travel as stream refs from the other controller's /user/images, as they do to compute hosts.
/// </summary>
public sealed class ImageReplicator : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ImageStore _store;
    private readonly IActorRef _catalog;
    private readonly ImageReplicationSettings _settings;
    private readonly HashSet<string> _pulling = new(StringComparer.Ordinal);
    private IMaterializer _materializer = null!;

    public ImageReplicator(ImageStore store, IActorRef catalog, ImageReplicationSettings settings)
    {
        _store = store;
        _catalog = catalog;
        _settings = settings;

        Receive<ReplicateImage>(Replicate);
        Receive<PullImage>(Pull);
        Receive<Sync>(_ => _catalog.Ask<CatalogView>(GetCatalog.Instance, _settings.AskTimeout)
            .PipeTo(Self, success: view => new CatalogRead(view), failure: e => new CatalogUnavailable(e)));
        Receive<CatalogRead>(r => Reconcile(r.Catalog));
        Receive<CatalogUnavailable>(u => _log.Warning("Image sync: the catalog did not answer ({0}); next pass in {1}", u.Cause.Message, _settings.SyncInterval));
        Receive<Pulled>(p =>
        {
            _pulling.Remove(p.ImageId);
            if (p.Error is null) _log.Info("Image {0}: copy stored from another controller", p.ImageId);
            else _log.Warning("Image {0}: no copy stored: {1}", p.ImageId, p.Error);
            p.ReplyTo?.Tell(new ImagePulled(p.ImageId, p.Error));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ImageStore store, IActorRef catalog, ImageReplicationSettings settings) =>
        Akka.Actor.Props.Create(() => new ImageReplicator(store, catalog, settings));

    protected override void PreStart()
    {
        _materializer = Context.Materializer();
        Timers.StartPeriodicTimer(Sync.Instance, Sync.Instance, _settings.FirstSync, _settings.SyncInterval);
    }

    /// <summary>Every other Up controller pulls the image from this one's image service; answers how many now hold it.</summary>
    private void Replicate(ReplicateImage replicate)
    {
        var peers = OtherControllers("image-replicator");
        var source = Context.System.ActorSelection("/user/images");
        var requester = Sender;
        var timeout = _settings.PullTimeout(replicate.SizeBytes);
        var askTimeout = _settings.AskTimeout;
        // Always an answer: the bytes are stored here whatever becomes of the copies, and a copy missed now is pulled
        // at the next sync.
        _ = Task.Run(async () =>
        {
            IActorRef from;
            try
            {
                from = await source.ResolveOne(askTimeout);
            }
            catch (Exception e)
            {
                return new ImageReplicated(replicate.ImageId, 1, [$"this controller's image service did not answer: {e.Message}"]);
            }
            var answers = await Task.WhenAll(peers.Select(async peer =>
            {
                try
                {
                    return await peer.Ask<ImagePulled>(new PullImage(replicate.ImageId, replicate.Checksum, from), timeout);
                }
                catch (AskTimeoutException)
                {
                    return new ImagePulled(replicate.ImageId, $"{peer.PathString}: no answer within {timeout.TotalSeconds:0} s");
                }
            }));
            var failures = answers.Where(a => a.Error is not null).Select(a => a.Error!).ToArray();
            return new ImageReplicated(replicate.ImageId, 1 + answers.Length - failures.Length, failures);
        }).PipeTo(requester);
    }

    /// <summary>Stores a copy from <see cref="PullImage.From"/>, unless this store holds those bytes already.</summary>
    private void Pull(PullImage pull)
    {
        if (!ImageId.IsValid(pull.ImageId))
        {
            Sender.Tell(new ImagePulled(pull.ImageId, "not an image id"));
            return;
        }
        if (_store.Find(pull.ImageId) is { } held && held.Checksum == pull.Checksum)
        {
            Sender.Tell(new ImagePulled(pull.ImageId, null));
            return;
        }
        Fetch(pull.ImageId, pull.Checksum, [pull.From], Sender);
    }

    /// <summary>One pass: pull the active images this store lacks, remove the bytes of images the catalog no longer has.</summary>
    private void Reconcile(CatalogView catalog)
    {
        var known = catalog.Images.ToDictionary(i => i.Id, StringComparer.Ordinal);
        // Bytes are stored before their image is registered (a seed is imported, then registered): only bytes the
        // catalog has not listed for a while are of a deleted image.
        var before = DateTime.UtcNow - _settings.OrphanGrace;
        foreach (var id in _store.Ids().Where(id => !known.ContainsKey(id) && _store.StoredAt(id) < before).ToList())
        {
            _log.Info("Image {0} is no longer in the catalog: removing its bytes from this controller's store", id);
            _store.Delete(id);
        }
        var sources = OtherControllers("images");
        if (sources.Count == 0) return;
        foreach (var image in catalog.Images.Where(i => i.Status == "active" && i.Checksum is not null))
        {
            if (_store.Find(image.Id) is { } held && held.Checksum == image.Checksum) continue;
            Fetch(image.Id, image.Checksum!, sources, replyTo: null);
        }
    }

    /// <summary>The actor named <paramref name="name"/> under /user on every other controller that is Up.</summary>
    private List<ActorSelection> OtherControllers(string name)
    {
        var cluster = Cluster.Get(Context.System);
        return cluster.State.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(_settings.ControllerRole) && m.Address != cluster.SelfAddress)
            .Select(m => Context.ActorSelection(new RootActorPath(m.Address) / "user" / name))
            .ToList();
    }

    /// <summary>Asks each source in turn for its stored bytes until one offers them, imports them, checks the md5.</summary>
    private void Fetch(string imageId, string checksum, IReadOnlyList<ICanTell> sources, IActorRef? replyTo)
    {
        if (!_pulling.Add(imageId))
        {
            replyTo?.Tell(new ImagePulled(imageId, "a copy is already being pulled; ask again"));
            return;
        }
        var (store, materializer, settings) = (_store, _materializer, _settings);
        Task.Run(async () =>
        {
            var refusals = new List<string>();
            foreach (var source in sources)
            {
                object answer;
                try
                {
                    answer = source switch
                    {
                        IActorRef actor => await actor.Ask<object>(new FetchStoredImage(imageId), settings.AskTimeout),
                        ActorSelection selection => await selection.Ask<object>(new FetchStoredImage(imageId), settings.AskTimeout),
                        _ => throw new ArgumentException($"cannot ask {source}"),
                    };
                }
                catch (AskTimeoutException)
                {
                    refusals.Add($"{source}: no answer");
                    continue;
                }
                if (answer is not StoredImageOffer offer)
                {
                    refusals.Add(answer is ImageFetchRejected r ? r.Message : $"unexpected {answer.GetType().Name}");
                    continue;
                }
                if (offer.Checksum != checksum)
                {
                    refusals.Add($"{source}: holds other bytes (md5 {offer.Checksum}, not {checksum})");
                    continue;
                }
                await using var content = offer.Bytes.Source.RunWith(StreamConverters.AsInputStream(settings.AskTimeout), materializer);
                var stored = await store.ImportAsync(imageId, content);
                if (stored.Checksum == checksum) return new Pulled(imageId, null, replyTo);
                store.Delete(imageId);
                refusals.Add($"{source}: the bytes arrived with md5 {stored.Checksum}, not {checksum}");
            }
            return new Pulled(imageId, refusals.Count == 0 ? "no other controller to pull from" : string.Join("; ", refusals), replyTo);
        }).PipeTo(Self, failure: e => new Pulled(imageId, e.GetBaseException().Message, replyTo));
    }

    private sealed record Sync
    {
        public static readonly Sync Instance = new();
    }

    private sealed record CatalogRead(CatalogView Catalog);

    private sealed record CatalogUnavailable(Exception Cause);

    private sealed record Pulled(string ImageId, string? Error, IActorRef? ReplyTo);
}

/// <summary>Replicate a just stored image to the other controllers (sent by this controller's image store).</summary>
public sealed record ReplicateImage(string ImageId, long SizeBytes, string Checksum);

/// <summary>How many controllers hold the image now, this one included, and why the others do not.</summary>
public sealed record ImageReplicated(string ImageId, int Copies, string[] Failures);

public sealed record ImageReplicationSettings
{
    public string ControllerRole { get; init; } = "controller";
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan FirstSync { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long bytes no image of the catalog names are kept (they may be a seed not registered yet).</summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a peer may take to pull <paramref name="bytes"/>: the ask timeout plus 10 s per 100 MB.</summary>
    public TimeSpan PullTimeout(long bytes) => AskTimeout + TimeSpan.FromSeconds(10.0 * bytes / 100_000_000);
}
