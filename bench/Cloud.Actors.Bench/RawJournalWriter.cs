using Akka.Actor;
using Akka.Persistence;

namespace Cloud.Actors.Bench;

/// <summary>The baseline: a persistent actor that only PersistAsyncs small events, as fast as the journal takes them.</summary>
public sealed class RawJournalWriter : ReceivePersistentActor
{
    public sealed record Write(int Count);
    public sealed record Written(int Count);
    public sealed record Tick(long N);

    public RawJournalWriter(string id)
    {
        PersistenceId = id;
        Command<Write>(w =>
        {
            var done = 0;
            var replyTo = Sender;
            for (var i = 0; i < w.Count; i++)
                PersistAsync(new Tick(i), _ =>
                {
                    if (++done == w.Count) replyTo.Tell(new Written(done));
                });
        });
    }

    public override string PersistenceId { get; }
}
