using Akka.Actor;
using Akka.Persistence;

namespace Cloud.Actors.Compute.Tests;

/// <summary>
/// Writes a journal history (an array of events) or a snapshot (<see cref="WriteSnapshot"/>) by hand, as a host
/// would have left it, answering "written" once it is stored.
/// </summary>
internal sealed class JournalWriter : ReceivePersistentActor
{
    private IActorRef? _snapshotRequester;

    public JournalWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Command<object[]>(events =>
        {
            var sender = Sender;
            PersistAll(events, e =>
            {
                if (ReferenceEquals(e, events[^1])) sender.Tell("written");
            });
        });
        Command<WriteSnapshot>(w =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(w.Snapshot);
        });
        Command<SaveSnapshotSuccess>(_ => _snapshotRequester?.Tell("written"));
    }

    public override string PersistenceId { get; }
}

internal sealed record WriteSnapshot(object Snapshot);
