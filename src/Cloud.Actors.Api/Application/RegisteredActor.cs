using Akka.Actor;
using Akka.Hosting;

namespace Cloud.Actors.Api.Application;

/// <summary>
/// An actor of the node's ActorRegistry as the application layer asks it. The application layer is built before
/// the actor system has started its actors (the host builds its hosted services first), so it holds the registry's
/// <see cref="IRequiredActor{TKey}"/> and resolves it on first use.
/// </summary>
public sealed class RegisteredActor
{
    private readonly Func<CancellationToken, Task<IActorRef>> _resolve;

    private RegisteredActor(Func<CancellationToken, Task<IActorRef>> resolve) => _resolve = resolve;

    public static RegisteredActor Of<TKey>(IRequiredActor<TKey> required) => new(required.GetAsync);

    public Task<IActorRef> Get(CancellationToken ct = default) => _resolve(ct);

    public async Task<T> Ask<T>(object message, TimeSpan timeout) => await (await Get()).Ask<T>(message, timeout);

    /// <summary>How an unanswered idempotent ask is sent again: after <paramref name="First"/>, then at pauses doubling up to <paramref name="Longest"/>.</summary>
    public sealed record Resend(TimeSpan First, TimeSpan Longest);

    /// <summary>
    /// Asks, and asks again while no answer has come (<paramref name="resend"/>), until <paramref name="timeout"/>:
    /// for messages the receiver handles idempotently (a boot by its instance id, a read). The first answer to any of
    /// the asks is the answer, so a slow receiver is not abandoned. A singleton being handed over to another
    /// controller answers nothing for a while (its proxy still points at the one that died, then buffers), and that
    /// must not fail the request: a later ask reaches the new singleton as soon as there is one. The pauses grow so a
    /// receiver that is only slow is not flooded with copies.
    /// </summary>
    public async Task<T> AskIdempotent<T>(object message, TimeSpan timeout, Resend resend)
    {
        var target = await Get();
        var deadline = DateTime.UtcNow + timeout;
        var asks = new List<Task<T>>();
        var pause = resend.First;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) break;
            asks.Add(target.Ask<T>(message, remaining));
            var wait = Task.Delay(remaining < pause ? remaining : pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, resend.Longest.Ticks));
            while (true)
            {
                var done = await Task.WhenAny(asks.Append(wait));
                if (done == wait) break;
                var ask = (Task<T>)done;
                if (ask.IsCompletedSuccessfully) return ask.Result;
                asks.Remove(ask);
                // A failed ask (not a timeout: the answer was a failure) is the answer.
                if (ask.Exception?.GetBaseException() is not AskTimeoutException) return await ask;
            }
        }
        // An answer that came with the deadline still counts.
        if (asks.FirstOrDefault(a => a.IsCompletedSuccessfully) is { } answered) return answered.Result;
        throw new AskTimeoutException($"No answer from {target.Path} within {timeout.TotalSeconds:0.#} s");
    }
}
