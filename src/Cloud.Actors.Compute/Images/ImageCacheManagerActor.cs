using Akka.Actor;
using Akka.Event;

namespace Cloud.Actors.Compute.Images;

/// <summary>
/// Runs <see cref="ImageCacheManager"/> passes on a compute host (Nova's periodic _run_image_cache_manager_pass):
/// one right after start, then every interval, never two at once; each pass is logged.
/// </summary>
public sealed class ImageCacheManagerActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeSpan _interval;
    private bool _running;

    public ImageCacheManagerActor(ImageCacheManager manager, TimeSpan interval)
    {
        _interval = interval;
        Receive<RunImageCachePass>(_ =>
        {
            if (_running) return;
            _running = true;
            Task.Run(manager.RunPass).PipeTo(Self, success: pass => new PassDone(pass), failure: e => new PassFailed(e));
        });
        Receive<PassDone>(done =>
        {
            _running = false;
            var pass = done.Pass;
            foreach (var removed in pass.Removed) _log.Info("Image cache: removed {0}", removed);
            _log.Info("Image cache pass: {0} removed, {1} in use, {2} unused but younger than the minimum age, {3} unused and kept",
                pass.Removed.Count, pass.KeptInUse.Count, pass.KeptYoung.Count, pass.KeptUnused.Count);
            Context.System.EventStream.Publish(pass);
        });
        Receive<PassFailed>(failed =>
        {
            _running = false;
            _log.Error(failed.Cause, "Image cache pass failed");
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ImageCacheManager manager, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new ImageCacheManagerActor(manager, interval));

    protected override void PreStart()
    {
        Self.Tell(RunImageCachePass.Instance);
        Timers.StartPeriodicTimer("image-cache-pass", RunImageCachePass.Instance, _interval);
    }

    private sealed record PassDone(ImageCachePass Pass);

    private sealed record PassFailed(Exception Cause);
}

/// <summary>Asks the cache manager for a pass now (one already running absorbs it).</summary>
public sealed record RunImageCachePass
{
    public static readonly RunImageCachePass Instance = new();
}
