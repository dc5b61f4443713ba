using Akka.Event;

namespace Cloud.Actors.Compute.Images;

/// <summary>
/// Turns a download's byte count into progress reports people can follow: the first one, then at most one a
/// second or one per 10 % of the image, and the last one; each also logged when a logger is wired.
/// </summary>
internal sealed class FetchProgressReporter(string imageId, long? totalBytes, Action<ImageFetchProgress> report, ILoggingAdapter? log, TimeProvider clock)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private long _reportedBytes = -1;
    private DateTimeOffset _reportedAt;

    public void Advance(long bytesDone, bool finished = false)
    {
        var now = clock.GetUtcNow();
        var due = _reportedBytes < 0 || finished || now - _reportedAt >= Interval
                  || (totalBytes is > 0 && (bytesDone - _reportedBytes) * 10 >= totalBytes);
        if (!due || bytesDone == _reportedBytes) return;
        _reportedBytes = bytesDone;
        _reportedAt = now;
        report(new ImageFetchProgress(imageId, bytesDone, totalBytes));
        if (log is null) return;
        if (totalBytes is > 0)
            log.Info("Image {0}: fetched {1} of {2} bytes ({3:0}%)", imageId, bytesDone, totalBytes, bytesDone * 100.0 / totalBytes.Value);
        else
            log.Info("Image {0}: fetched {1} bytes", imageId, bytesDone);
    }
}
