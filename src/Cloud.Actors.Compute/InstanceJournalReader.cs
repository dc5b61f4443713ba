using Akka.Actor;
using Akka.Persistence;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Compute;

/// <summary>
/// Reads an instance's whole journal (no snapshot, so every event since the build) to answer os-instance-actions,
/// then stops. It shares the InstanceActor's persistence id but never persists: the InstanceActor stays the only
/// writer, and reading does not wake a passivated instance.
/// </summary>
public sealed class InstanceJournalReader : ReceivePersistentActor
{
    private readonly Guid _id;
    private readonly IActorRef _replyTo;
    private readonly List<(long, IInstanceEvent)> _journal = [];

    public InstanceJournalReader(Guid id, IActorRef replyTo)
    {
        _id = id;
        _replyTo = replyTo;
        Recover<IInstanceEvent>(e => _journal.Add((LastSequenceNr, e)));
        Recover<RecoveryCompleted>(_ =>
        {
            replyTo.Tell(new InstanceActionList(_id, InstanceActions.From(_id, _journal)));
            Context.Stop(Self);
        });
    }

    public override string PersistenceId => $"instance-{_id}";

    public override Recovery Recovery => new(SnapshotSelectionCriteria.None);

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _replyTo.Tell(new ActionRejected($"The actions of instance {_id} could not be read: {reason.Message}", 500));
        base.OnRecoveryFailure(reason, message);
    }

    public static Props Props(Guid id, IActorRef replyTo) => Akka.Actor.Props.Create(() => new InstanceJournalReader(id, replyTo));
}
