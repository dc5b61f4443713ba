using Akka.Actor;
using Akka.Persistence;
using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Compute.Tests;

/// <summary>Writes a journal history by hand (as a host would have left it), answering "written" once all of it is stored.</summary>
internal sealed class JournalWriter : ReceivePersistentActor
{
    public JournalWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Command<IInstanceEvent[]>(events =>
        {
            var sender = Sender;
            PersistAll(events, e =>
            {
                if (ReferenceEquals(e, events[^1])) sender.Tell("written");
            });
        });
    }

    public override string PersistenceId { get; }
}
