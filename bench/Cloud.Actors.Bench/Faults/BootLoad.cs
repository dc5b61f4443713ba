using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cloud.Actors.Bench.Faults;

/// <summary>One boot the load sent: where, when, and what came back.</summary>
public sealed record BootAttempt(string Name, string Controller, TimeSpan SentAt, TimeSpan AnsweredAt, string? Id, string? Refusal)
{
    /// <summary>Refused for good (a 4xx): nothing was made. Any other refusal (no answer, a 5xx) leaves it unknown.</summary>
    public bool Refused => Refusal is { Length: > 0 } r && r[0] == '4';
}

/// <summary>
/// Boots through the REST API of every controller in turn, a few in flight, until <c>boots</c> were sent. To stay within
/// the seed network (privada, a /24) and the hosts it keeps at most <c>keepAlive</c> servers: past that it deletes the
/// oldest it booted, and it paces itself at <c>rate</c> boots per second. It remembers every answer: what was accepted (202) must exist at the end unless its delete was
/// accepted (204), and must not exist then.
/// </summary>
/// <param name="rate">Boots per second at most (0: as fast as the cloud answers), so that the faults fall among them.</param>
public sealed class BootLoad(CloudClient client, Func<IReadOnlyList<(string Name, string Compute)>> controllers, int boots, int concurrency,
    int keepAlive, double rate = 0)
{
    private readonly ConcurrentQueue<BootAttempt> _attempts = new();
    private readonly ConcurrentQueue<string> _alive = new();
    private readonly ConcurrentDictionary<string, string> _deleted = new();
    private readonly ConcurrentDictionary<string, string> _deleteUnknown = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _next;

    public IReadOnlyCollection<BootAttempt> Attempts => _attempts;

    /// <summary>Accepted boots whose delete was accepted too: gone at the end.</summary>
    public IReadOnlyDictionary<string, string> Deleted => _deleted;

    /// <summary>Deletes whose answer never came (the controller died, a 5xx): the server may or may not be gone.</summary>
    public IReadOnlyDictionary<string, string> DeleteUnknown => _deleteUnknown;

    public TimeSpan Elapsed => _clock.Elapsed;

    public int Sent => Math.Min(_next, boots);

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker(ct)));
    }

    private async Task Worker(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            if (n > boots) return;
            if (rate > 0 && TimeSpan.FromSeconds(n / rate) - _clock.Elapsed is { Ticks: > 0 } early) await Task.Delay(early, ct);
            var live = controllers();
            var (controller, compute) = live[n % live.Count];
            var name = $"fault-{n}";
            var sent = _clock.Elapsed;
            var (id, refusal) = await client.BootAsync(compute, name, ct);
            _attempts.Enqueue(new BootAttempt(name, controller, sent, _clock.Elapsed, id, refusal));
            if (id is null) continue;
            _alive.Enqueue(id);
            while (_alive.Count > keepAlive && _alive.TryDequeue(out var oldest))
            {
                var (accepted, why) = await client.DeleteAsync(live[(n + 1) % live.Count].Compute, oldest, ct);
                if (accepted) _deleted[oldest] = controller;
                else _deleteUnknown[oldest] = why ?? "";
            }
        }
    }
}
