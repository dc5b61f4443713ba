using Cloud.Actors.Node;

namespace Cloud.Actors.Node.Tests;

public sealed class StartupBackoffSpecs
{
    private static readonly StartupBackoff Backoff = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4));

    [Fact]
    public async Task A_transient_failure_is_tried_again_with_a_pause_that_doubles_up_to_the_longest()
    {
        var pauses = new List<(int Attempt, TimeSpan Pause)>();

        var result = await Backoff.RetryAsync(
            attempt => attempt < 5 ? throw new IOException($"not yet ({attempt})") : Task.FromResult(attempt),
            transient: e => e is IOException,
            retrying: (_, attempt, pause) => pauses.Add((attempt, pause)));

        Assert.Equal(5, result);
        Assert.Equal([(1, 1.0), (2, 2.0), (3, 4.0), (4, 4.0)], pauses.Select(p => (p.Attempt, p.Pause.TotalMilliseconds)));
    }

    [Fact]
    public async Task A_failure_time_cannot_mend_ends_the_work_at_once_with_it()
    {
        var attempts = 0;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Backoff.RetryAsync(
            _ => { attempts++; throw new ArgumentException("a wrong setting"); },
            transient: e => e is IOException,
            retrying: (_, _, _) => { }));

        Assert.Equal("a wrong setting", error.Message);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Stopping_ends_the_waiting()
    {
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new StartupBackoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1))
            .RetryAsync(_ => throw new IOException("never"), transient: _ => true, retrying: (_, _, _) => stop.Cancel(), stop.Token));
    }
}
