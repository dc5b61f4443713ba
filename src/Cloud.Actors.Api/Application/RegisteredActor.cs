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

    /// <summary>
    /// Asks up to <paramref name="attempts"/> times, again whenever an answer does not come in time: for messages the
    /// receiver handles idempotently (a boot by its instance id, a read). A singleton being handed over to another
    /// controller answers nothing for a while (its proxy buffers), and that must not fail the request.
    /// </summary>
    public async Task<T> AskIdempotent<T>(object message, TimeSpan timeout, int attempts)
    {
        var target = await Get();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await target.Ask<T>(message, timeout);
            }
            catch (AskTimeoutException) when (attempt < attempts)
            {
            }
        }
    }
}
