namespace Cloud.Actors.Node;

/// <summary>
/// How a node's start-up work waits for what it needs (a journal, a hypervisor, the catalog): it tries, and while the
/// failure is one that time can mend it says so and tries again after a pause that doubles up to the longest
/// (cloud-actors.startup-backoff). A machine under load makes a node start late, never not at all.
/// </summary>
public sealed class StartupBackoff(TimeSpan first, TimeSpan longest)
{
    public static StartupBackoff Of(NodeSettings settings) => new(settings.StartupBackoffMin, settings.StartupBackoffMax);

    /// <param name="attempt">One try, given its number (1 first).</param>
    /// <param name="transient">Whether a failure may pass with time; any other ends the work with it.</param>
    /// <param name="retrying">Told of each failure that is tried again: the failure, its attempt and the pause.</param>
    public async Task<T> RetryAsync<T>(Func<int, Task<T>> attempt, Func<Exception, bool> transient,
        Action<Exception, int, TimeSpan> retrying, CancellationToken ct = default)
    {
        var delay = first;
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt(n);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && transient(e))
            {
                retrying(e, n, delay);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, longest.Ticks));
            }
        }
    }

    public Task RetryAsync(Func<int, Task> attempt, Func<Exception, bool> transient,
        Action<Exception, int, TimeSpan> retrying, CancellationToken ct = default) =>
        RetryAsync(async n => { await attempt(n); return true; }, transient, retrying, ct);
}
