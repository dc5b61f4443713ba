using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Persistence;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Controller.Directory;

/// <summary>
/// The controller's durable book of instances (persistence id "directory"): it numbers them cluster-wide
/// (instance-%08x), records each boot (with the fixed IPs the network service gave its ports) before answering, gets it scheduled and built
/// (re-sending until the host takes it, rescheduling on spawn failure), and keeps the last known view of
/// every instance so list and show answer even while a host is down. Like Nova's conductor plus its
/// instances table. A removed instance's ports are released at the network service once its tombstone is journaled.
/// </summary>
public sealed class DirectoryActor : ReceivePersistentActor, IWithTimers
{
    private static readonly TimeSpan BuildResendAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QueuedActionAnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly IActorRef _scheduler;
    private readonly IActorRef? _network;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Guid, InstanceState> _instances = new();
    private readonly Dictionary<Guid, InstanceState> _recorded = new();
    private readonly Dictionary<string, IActorRef> _hosts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hostsDown = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, PendingBuild> _pendingBuilds = new();
    private readonly Dictionary<Guid, List<string>> _triedHosts = new();
    private readonly HashSet<string> _inventoried = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, InstanceActionQueued> _queued = new();
    // The attempt at delivering each queued action whose answer is awaited; older attempts' silence is not news.
    private readonly Dictionary<Guid, int> _deliveries = new();
    // Instances deleted here (Nova's soft-deleted rows): a host that comes back holding one is told to delete it.
    private readonly HashSet<Guid> _removed = new();
    /// <summary>Removed instances whose ports the network service has not yet said it released.</summary>
    private readonly HashSet<Guid> _portsToRelease = new();
    private bool _releaseInFlight;
    private readonly Dictionary<Guid, List<IActorRef>> _bootsBeingRecorded = new();
    private long _nextNumber = 1;
    private int _eventsSinceSnapshot;
    private readonly int _snapshotEvery;

    /// <param name="firstNumber">
    /// The number of the cluster's first instance (instance-%08x). Two clusters sharing one libvirtd (the tests' and a
    /// user's) start far apart so their domain names never collide.
    /// </param>
    /// <param name="snapshotEvery">Events between snapshots of the whole directory.</param>
    /// <param name="network">The network service, told of removed instances so their ports go; none in specs of the directory alone.</param>
    public DirectoryActor(IActorRef scheduler, long firstNumber = 1, int snapshotEvery = 5000, IActorRef? network = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(firstNumber);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(snapshotEvery);
        _scheduler = scheduler;
        _network = network;
        _nextNumber = firstNumber;
        _snapshotEvery = snapshotEvery;

        Recover<IDirectoryEvent>(Apply);
        Recover<SnapshotOffer>(o =>
        {
            var s = (DirectorySnapshot)o.Snapshot;
            _nextNumber = Math.Max(_nextNumber, s.NextNumber);
            foreach (var i in s.Instances) Remember(i, recorded: true);
            foreach (var q in s.Queued ?? []) _queued[q.InstanceId] = q;
            _removed.UnionWith(s.Removed ?? []);
        });
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<BootRequest>(Boot);
        Command<DestinationSelected>(Placed);
        Command<NoValidHost>(n => FailBuild(n.InstanceId, NoValidHost.Message, n.Reason));
        Command<BuildAccepted>(b => _pendingBuilds.Remove(b.InstanceId));
        Command<RescheduleBuild>(Reschedule);
        Command<InstanceChanged>(Changed);
        Command<FindInstance>(f => Sender.Tell(Find(f.NameOrId, f.ProjectId)));
        Command<ListInstances>(l => Sender.Tell(new InstanceList(_instances.Values
            .Where(i => l.ProjectId is null || i.Spec.ProjectId == l.ProjectId)
            .OrderByDescending(i => i.Spec.CreatedAt).ThenByDescending(i => i.Spec.Number)
            .Select(i => new InstanceFound(i, StatusOfHost(i.Host)))
            .ToArray())));
        Command<InstanceActionRequest>(Act);
        Command<ConsoleOutputRequest>(Console);
        Command<FollowConsole>(FollowConsole);
        Command<RenameInstanceRequest>(Rename);
        Command<ChangeInstanceAttributesRequest>(r => ForwardToHost(r.InstanceId, "update", new ChangeInstanceAttributes(r.InstanceId, r.Attributes)));
        Command<RebuildInstanceRequest>(Rebuild);
        Command<InstanceActionsRequest>(Actions);
        Command<ComputeAvailable>(HostAvailable);
        Command<HostInstances>(Inventory);
        // Answers of hosts to the deletes the directory sends to stale copies: nothing more to do.
        Command<ActionAccepted>(_ => { });
        Command<ActionRejected>(_ => { });
        // The network service's answer to an adoption of instances' addresses.
        Command<NetworkingDone>(_ => { });
        Command<FlushPortReleases>(_ => FlushReleases());
        Command<PortsReleased>(Released);
        Command<QueuedActionAnswered>(Answered);
        Command<ResendBuilds>(_ => ResendStaleBuilds());
        Command<Terminated>(t => HostLost(h => h.Equals(t.ActorRef)));
        Command<ClusterEvent.UnreachableMember>(u => HostLost(h => h.Path.Address == u.Member.Address));
        Command<ClusterEvent.MemberRemoved>(u => HostLost(h => h.Path.Address == u.Member.Address));
        Command<ClusterEvent.ReachableMember>(u =>
        {
            // Back from a partition: what does it hold now, and what waits for it?
            foreach (var (host, compute) in _hosts.Where(h => h.Value.Path.Address == u.Member.Address))
                if (_hostsDown.Remove(host)) compute.Tell(ReportInstances.Instance);
        });
        Command<ClusterEvent.IClusterDomainEvent>(_ => { });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("Directory snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => "directory";


    public static Props Props(IActorRef scheduler, long firstNumber = 1, int snapshotEvery = 5000, IActorRef? network = null) =>
        Akka.Actor.Props.Create(() => new DirectoryActor(scheduler, firstNumber, snapshotEvery, network));

    protected override void PreStart()
    {
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
        base.PreStart();
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        base.PostStop();
    }

    // ---- booting ---------------------------------------------------------------------------------------

    private void Boot(BootRequest request)
    {
        if (_instances.TryGetValue(request.Id, out var existing))
        {
            // A repeated request (the client asks again when an answer is slow): answered once the boot is durable.
            if (_bootsBeingRecorded.TryGetValue(request.Id, out var waiting)) waiting.Add(Sender);
            else Sender.Tell(new BootAccepted(existing));
            return;
        }
        if (_removed.Contains(request.Id))
        {
            // A late copy of a boot already answered and since deleted (the API resends a slow ask; a proxy buffers
            // the copies through a hand-over): the id was the client's only once, it must not bring the server back.
            _log.Info("Boot {0} asked again after its server was deleted: not booting it again", request.Id);
            Sender.Tell(new BootRejected($"Instance {request.Id} was deleted.", 409));
            return;
        }
        var spec = new InstanceSpec(request.Id, _nextNumber, request.Name, request.ProjectId, request.UserId,
            request.Flavor, request.Image, request.KeyName, request.PublicKey, request.Addresses ?? [],
            request.AvailabilityZone, request.LaunchIndex, request.At, request.ConfigDrive, request.UserData, request.Attributes);
        // The number is taken now, so concurrent boots never share it; the answer waits for the journal.
        Apply(new InstanceRequested(spec));
        _bootsBeingRecorded[spec.Id] = [Sender];
        PersistAsync(new InstanceRequested(spec), e =>
        {
            var accepted = new BootAccepted(_instances[spec.Id]);
            if (_bootsBeingRecorded.Remove(spec.Id, out var requesters))
                foreach (var requester in requesters) requester.Tell(accepted);
            Schedule(spec);
            Snapshotted();
        });
    }

    private void Schedule(InstanceSpec spec)
    {
        var tried = _triedHosts.GetValueOrDefault(spec.Id) ?? [];
        var az = spec.AvailabilityZone is "" or "nova" ? null : spec.AvailabilityZone;
        _scheduler.Tell(new SelectDestination(spec.Id, spec.Flavor.Resources, az, spec.Image.Properties, tried.ToArray()));
    }

    private void Placed(DestinationSelected placed)
    {
        if (!_instances.TryGetValue(placed.InstanceId, out var state) || state.TaskState == TaskState.Deleting || state.Host is not null)
        {
            // Deleted (or already placed) while the scheduler was answering: give the claim back.
            if (state?.Host != placed.Host) _scheduler.Tell(new ReleaseClaim(placed.Host, placed.InstanceId));
            return;
        }
        // Like Nova's instance.host set at the claim: from now on only this host speaks for the instance.
        _instances[placed.InstanceId] = state with { Host = placed.Host };
        _pendingBuilds[placed.InstanceId] = new PendingBuild(state.Spec, placed.Host, placed.Compute, DateTime.UtcNow);
        placed.Compute.Tell(new BuildInstance(state.Spec));
    }

    private void ResendStaleBuilds()
    {
        var now = DateTime.UtcNow;
        foreach (var (id, pending) in _pendingBuilds.ToList())
        {
            if (now - pending.SentAt < BuildResendAfter) continue;
            if (_hostsDown.Contains(pending.Host))
            {
                // The chosen host went away before taking the build: place it elsewhere.
                _pendingBuilds.Remove(id);
                Reschedule(new RescheduleBuild(pending.Spec, pending.Host, $"host {pending.Host} went down"));
                continue;
            }
            // To the host's current compute actor: it may have been restarted since the build was placed.
            var compute = _hosts.GetValueOrDefault(pending.Host) ?? pending.Compute;
            _pendingBuilds[id] = pending with { SentAt = now, Compute = compute };
            compute.Tell(new BuildInstance(pending.Spec));
        }
    }

    private void Reschedule(RescheduleBuild r)
    {
        if (!_instances.ContainsKey(r.Spec.Id)) return;
        var tried = _triedHosts.TryGetValue(r.Spec.Id, out var list) ? list : _triedHosts[r.Spec.Id] = [];
        if (!tried.Contains(r.FailedHost)) tried.Add(r.FailedHost);
        _log.Warning("Build of {0} failed on {1} (attempt {2}): {3}", r.Spec.Id, r.FailedHost, tried.Count, r.Reason);
        if (tried.Count >= MaxAttempts)
        {
            FailBuild(r.Spec.Id,
                $"Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance {r.Spec.Id}.",
                r.Reason);
            return;
        }
        _instances[r.Spec.Id] = _instances[r.Spec.Id] with { Host = null, TaskState = TaskState.Scheduling };
        Schedule(r.Spec);
    }

    /// <summary>Nova's scheduler.max_attempts.</summary>
    private const int MaxAttempts = 3;

    private void FailBuild(Guid id, string message, string details)
    {
        _pendingBuilds.Remove(id);
        _triedHosts.Remove(id);
        if (!_instances.TryGetValue(id, out var state)) return;
        var now = DateTimeOffset.UtcNow;
        var failed = state with
        {
            VmState = VmState.Error, TaskState = null, Host = null, UpdatedAt = now,
            Fault = new Fault(message, 500, details, now),
        };
        Record(failed);
    }

    // ---- what hosts tell us ----------------------------------------------------------------------------

    private void Changed(InstanceChanged changed)
    {
        var state = changed.State;
        if (!_instances.TryGetValue(state.Id, out var known))
        {
            // A host still runs an instance deleted while it was away: it must go (Nova's running-deleted cleanup).
            if (!state.IsDeleted && state.Host is not null)
            {
                _log.Warning("Host {0} reports instance {1}, which was deleted while it was away: deleting it there", state.Host, state.Id);
                Sender.Tell(new InstanceCommand(state.Id, InstanceAction.Delete));
            }
            return;
        }
        if (state.Host is not null && known.Host is not null && state.Host != known.Host)
        {
            // The build moved on while this host was away (it died mid-spawn, or the build was re-sent
            // elsewhere); its copy is stale and must not overwrite the real one: remove it there.
            if (!state.IsDeleted) Sender.Tell(new InstanceCommand(state.Id, InstanceAction.Delete));
            return;
        }
        if (state.Host is not null) _pendingBuilds.Remove(state.Id);
        if (state.IsDeleted)
        {
            Forget(state.Id);
            return;
        }
        if (state.Host is null && state.TaskState == TaskState.Scheduling && known.Host is null) return; // rescheduling; we drive it
        _instances[state.Id] = state;
        if (state.TaskState is null && IsNewStable(state)) Record(state);
    }

    private bool IsNewStable(InstanceState state) =>
        !_recorded.TryGetValue(state.Id, out var last)
        || last.VmState != state.VmState || last.PowerState != state.PowerState || last.Host != state.Host
        || last.Fault != state.Fault || last.LaunchedAt != state.LaunchedAt || last.Spec.Name != state.Spec.Name;

    private void Record(InstanceState state)
    {
        Remember(state, recorded: true);
        PersistAsync(new InstanceRecorded(state), _ => Snapshotted());
        Context.System.EventStream.Publish(new InstanceChanged(state));
    }

    /// <summary>
    /// Drops the instance from the book at once (lists stop showing it) and journals its tombstone;
    /// <paramref name="durable"/> runs once the tombstone is in the journal: a delete is answered only then, or a
    /// hand-over right after the answer would bring the server back.
    /// </summary>
    private void Forget(Guid id, Action? durable = null)
    {
        if (!_instances.TryGetValue(id, out var state)) return;
        Apply(new InstanceRemoved(id));
        PersistAsync(new InstanceRemoved(id), _ =>
        {
            durable?.Invoke();
            // Its ports go only now: a hand-over before the tombstone would bring the instance back, with its addresses.
            ReleasePortsOf(id);
            Snapshotted();
        });
        Context.System.EventStream.Publish(new InstanceChanged(state with { VmState = VmState.Deleted, TaskState = null }));
    }

    private void HostAvailable(ComputeAvailable available)
    {
        var fresh = !_hosts.TryGetValue(available.Host, out var known) || !known.Equals(available.Compute);
        if (fresh)
        {
            if (known is not null) Context.Unwatch(known);
            Context.Watch(available.Compute);
            _hosts[available.Host] = available.Compute;
            _log.Info("Compute host {0} is available at {1}", available.Host, available.Compute.Path);
        }
        // A host this directory has not heard from yet, or back from being unreachable: what does it hold now?
        if (_hostsDown.Remove(available.Host) | fresh | !_inventoried.Contains(available.Host))
            available.Compute.Tell(ReportInstances.Instance);
    }

    /// <summary>
    /// Reconciles the book with what a host holds. The directory journals only stable states, so a new incarnation (a
    /// hand-over, a restart) or a host back from a partition may disagree with the host: an instance deleted here while
    /// the host was away must go there; every one the host holds is asked for its state, as the answers it sent while
    /// the directory was not listening (a hand-over, a restart, a partition) are lost; one this book says is on the
    /// host but is not there finished its delete — never left in a task state.
    /// </summary>
    private void Inventory(HostInstances inventory)
    {
        _inventoried.Add(inventory.Host);
        var compute = Sender;
        var held = inventory.InstanceIds.ToHashSet();
        // Actions that waited for the host go first: the state it reports next is then theirs.
        foreach (var queued in _queued.Values.Where(q => held.Contains(q.InstanceId) && _instances.GetValueOrDefault(q.InstanceId)?.Host == inventory.Host).ToList())
            Deliver(queued, compute);
        foreach (var id in held)
        {
            if (_removed.Contains(id))
            {
                _log.Warning("Host {0} holds instance {1}, which was deleted meanwhile: deleting it there", inventory.Host, id);
                compute.Tell(new InstanceCommand(id, InstanceAction.Delete));
            }
            else if (!_instances.ContainsKey(id))
            {
                // Never booted through this book (another cluster's journal, a directory started on an empty one):
                // not this directory's to delete, as Nova's running-deleted reaper acts only on deleted rows.
                _log.Warning("Host {0} holds instance {1}, which this directory has no record of: leaving it alone", inventory.Host, id);
            }
            else
            {
                // Its state may have moved on while this directory was not listening (a stop finished, a delete
                // began): answers sent to a dead incarnation, or across a partition, are lost. The host says it again.
                compute.Tell(new PublishInstance(id));
            }
        }
        foreach (var id in _instances.Where(i => i.Value.Host == inventory.Host && !held.Contains(i.Key) && !_pendingBuilds.ContainsKey(i.Key))
                     .Select(i => i.Key).ToList())
        {
            // The host no longer holds it: it leaves a host only by a delete (or a delete of a stale copy), so its
            // delete finished there while this directory was not listening (a hand-over, a restart).
            _log.Info("Instance {0} is gone from host {1}: its delete finished while this directory was not listening", id, inventory.Host);
            _scheduler.Tell(new ReleaseClaim(inventory.Host, id));
            Forget(id);
        }
    }

    private void HostLost(Func<IActorRef, bool> which)
    {
        foreach (var (host, _) in _hosts.Where(h => which(h.Value)))
        {
            _inventoried.Remove(host);
            if (_hostsDown.Add(host)) _log.Warning("Compute host {0} is not reachable", host);
        }
    }

    private string StatusOfHost(string? host) => host switch
    {
        null => HostStatus.None,
        _ when _hosts.ContainsKey(host) && !_hostsDown.Contains(host) => HostStatus.Up,
        _ => HostStatus.Unknown,
    };

    // ---- user requests ---------------------------------------------------------------------------------

    private object Find(string nameOrId, string? projectId)
    {
        bool Visible(InstanceState i) => projectId is null || i.Spec.ProjectId == projectId;
        if (Guid.TryParse(nameOrId, out var id))
            return _instances.TryGetValue(id, out var byId) && Visible(byId)
                ? new InstanceFound(byId, StatusOfHost(byId.Host))
                : new InstanceNotFound($"No server with a name or ID of '{nameOrId}' exists.");
        var matches = _instances.Values.Where(i => Visible(i) && i.Spec.Name == nameOrId).Take(2).ToList();
        return matches.Count switch
        {
            0 => new InstanceNotFound($"No server with a name or ID of '{nameOrId}' exists."),
            1 => new InstanceFound(matches[0], StatusOfHost(matches[0].Host)),
            _ => new InstanceNotFound($"Multiple server matches found for '{nameOrId}', use an ID to be more specific.", 409),
        };
    }

    private void Act(InstanceActionRequest request)
    {
        if (!_instances.TryGetValue(request.InstanceId, out var state))
        {
            Sender.Tell(new ActionRejected($"Instance {request.InstanceId} could not be found.", 404));
            return;
        }
        var decision = state.Decide(request.Action, DateTimeOffset.UtcNow);
        if (!decision.Accepted)
        {
            Sender.Tell(new ActionRejected(decision.Conflict!, 409));
            return;
        }
        // A build the host has not taken yet cannot be acted on there; only a delete makes sense, done here.
        var host = _pendingBuilds.ContainsKey(request.InstanceId) ? null : state.Host;
        if (host is not null && _hosts.TryGetValue(host, out var compute) && !_hostsDown.Contains(host))
        {
            compute.Forward(new InstanceCommand(request.InstanceId, request.Action));
            return;
        }
        if (request.Action != InstanceAction.Delete && host is not null)
        {
            Queue(request, state);
            return;
        }
        if (request.Action == InstanceAction.Delete)
        {
            // Nova's local delete: with no host, or its host down, the record goes now; a host that
            // comes back with the instance is told to delete it.
            if (state.Host is not null) _scheduler.Tell(new ReleaseClaim(state.Host, request.InstanceId));
            _pendingBuilds.Remove(request.InstanceId);
            var deleted = state with { VmState = VmState.Deleted, TaskState = null, TerminatedAt = DateTimeOffset.UtcNow };
            var requester = Sender;
            Forget(request.InstanceId, () => requester.Tell(new ActionAccepted(deleted)));
            return;
        }
        Sender.Tell(host is null
            ? new ActionRejected($"Cannot '{request.Action.ApiName()}' instance {request.InstanceId}: it is not on any host.", 409)
            : new ActionRejected($"Cannot '{request.Action.ApiName()}' instance {request.InstanceId}: compute host {host} is not available.", 409));
    }

    /// <summary>
    /// An action for an instance whose host is unreachable (or not heard from since this directory started) is
    /// accepted, as Nova's API casts it to the host's queue: it is journaled here, the instance shows the task it
    /// starts, and it goes to the host when the host is back (<see cref="Inventory"/>).
    /// </summary>
    private void Queue(InstanceActionRequest request, InstanceState state)
    {
        var requester = Sender;
        Persist(new InstanceActionQueued(request.InstanceId, request.Action, DateTimeOffset.UtcNow), e =>
        {
            Apply(e);
            _log.Info("Instance {0}: {1} waits until its host {2} is reachable", e.InstanceId, e.Action.ApiName(), state.Host);
            requester.Tell(new ActionAccepted(_instances[e.InstanceId]));
            Snapshotted();
        });
    }

    /// <summary>
    /// Sends a queued action to its host, which is back. It stays queued until the host answers (accepted, or refused
    /// by the instance's state there): a command lost on the way, or in a host gone again, goes at its next return.
    /// </summary>
    private void Deliver(InstanceActionQueued queued, IActorRef compute)
    {
        var attempt = _deliveries[queued.InstanceId] = _deliveries.GetValueOrDefault(queued.InstanceId) + 1;
        _log.Info("Instance {0}: its host is back, sending the {1} that waited since {2:u}", queued.InstanceId, queued.Action.ApiName(), queued.At);
        compute.Ask<object>(new InstanceCommand(queued.InstanceId, queued.Action), QueuedActionAnswerTimeout)
            .PipeTo(Self, success: answer => new QueuedActionAnswered(queued, attempt, answer), failure: _ => new QueuedActionAnswered(queued, attempt, null));
    }

    private void Answered(QueuedActionAnswered answered)
    {
        var id = answered.Queued.InstanceId;
        // Answered already, or the instance deleted meanwhile.
        if (!_queued.TryGetValue(id, out var current) || current != answered.Queued) return;
        switch (answered.Answer)
        {
            case null:
                if (_deliveries.GetValueOrDefault(id) != answered.Attempt) return;
                var host = _instances.GetValueOrDefault(id)?.Host;
                if (host is not null && _hosts.TryGetValue(host, out var compute) && !_hostsDown.Contains(host))
                {
                    _log.Warning("Instance {0}: host {1} did not answer the {2} that waited for it; sending it again", id, host, current.Action.ApiName());
                    Deliver(current, compute);
                }
                return;
            case ActionRejected rejected:
                // As Nova's compute refuses a cast whose instance moved on (InstanceInvalidState): the instance's own
                // state, which the host publishes, is what the user sees next.
                _log.Warning("Instance {0}: its host refused the {1} that waited for it: {2}", id, current.Action.ApiName(), rejected.Message);
                break;
        }
        _deliveries.Remove(id);
        Persist(new QueuedActionDelivered(id), e =>
        {
            Apply(e);
            Snapshotted();
        });
    }

    /// <summary>
    /// The instance's host journals the new name and reports it back like any change. A build no host has taken
    /// yet, or one on an unreachable host, cannot be renamed now (409): the host's journal is the record.
    /// </summary>
    private void Rename(RenameInstanceRequest request) =>
        ForwardToHost(request.InstanceId, "update", new RenameInstance(request.InstanceId, request.Name));

    private void Rebuild(RebuildInstanceRequest request) =>
        ForwardToHost(request.InstanceId, "rebuild", new RebuildInstance(request.InstanceId, request.Image));

    /// <summary>A change only the instance's host can make: to it, if it has taken the build and is reachable.</summary>
    private void ForwardToHost(Guid instanceId, string verb, object message)
    {
        if (!_instances.TryGetValue(instanceId, out var state) || state.IsDeleted)
            Sender.Tell(new ActionRejected($"Instance {instanceId} could not be found.", 404));
        else if (!_pendingBuilds.ContainsKey(instanceId) && state.Host is not null
                 && _hosts.TryGetValue(state.Host, out var compute) && !_hostsDown.Contains(state.Host))
            compute.Forward(message);
        else
            Sender.Tell(new ActionRejected($"Cannot '{verb}' instance {instanceId} while it is not on a reachable host.", 409));
    }

    /// <summary>The actions live in the instance's journal on its host; a build no host has yet has none.</summary>
    private void Actions(InstanceActionsRequest request)
    {
        if (!_instances.TryGetValue(request.InstanceId, out var state))
            Sender.Tell(new ActionRejected($"Instance {request.InstanceId} could not be found.", 404));
        else if (state.Host is null || _pendingBuilds.ContainsKey(request.InstanceId))
            Sender.Tell(new InstanceActionList(request.InstanceId, []));
        else if (_hosts.TryGetValue(state.Host, out var compute) && !_hostsDown.Contains(state.Host))
            compute.Forward(new GetInstanceActions(request.InstanceId));
        else
            Sender.Tell(new ActionRejected($"The actions of instance {request.InstanceId} are on compute host {state.Host}, which is not available.", 409));
    }

    private void Console(ConsoleOutputRequest request)
    {
        if (!_instances.TryGetValue(request.InstanceId, out var state))
            Sender.Tell(new ActionRejected($"Instance {request.InstanceId} could not be found.", 404));
        else if (state.Host is not null && _hosts.TryGetValue(state.Host, out var compute) && !_hostsDown.Contains(state.Host))
            compute.Forward(new GetConsoleOutput(request.InstanceId, request.Length));
        else
            Sender.Tell(new ActionRejected($"Guest of instance {request.InstanceId} does not have a console available: it is not on a reachable host.", 409));
    }

    /// <summary>A console follower is routed like a console request; the host answers (and streams to) it directly.</summary>
    private void FollowConsole(FollowConsole follow)
    {
        if (!_instances.TryGetValue(follow.InstanceId, out var state))
            Sender.Tell(new ActionRejected($"Instance {follow.InstanceId} could not be found.", 404));
        else if (state.Host is not null && _hosts.TryGetValue(state.Host, out var compute) && !_hostsDown.Contains(state.Host))
            compute.Forward(follow);
        else
            Sender.Tell(new ActionRejected($"Guest of instance {follow.InstanceId} does not have a console available: it is not on a reachable host.", 409));
    }

    // ---- state -----------------------------------------------------------------------------------------

    private void Apply(IDirectoryEvent e)
    {
        switch (e)
        {
            case InstanceRequested r:
                Remember(InstanceState.Requested(r.Spec), recorded: true);
                _nextNumber = Math.Max(_nextNumber, r.Spec.Number + 1);
                break;
            case InstanceRecorded r: Remember(r.State, recorded: true); break;
            case InstanceActionQueued q:
                _queued[q.InstanceId] = q;
                if (_instances.TryGetValue(q.InstanceId, out var waiting)
                    && waiting.Decide(q.Action, q.At) is { Event: { } started })
                    _instances[q.InstanceId] = waiting with { TaskState = started.Task, UpdatedAt = q.At };
                break;
            case QueuedActionDelivered d: _queued.Remove(d.InstanceId); break;
            case InstanceRemoved r:
                _queued.Remove(r.InstanceId);
                _deliveries.Remove(r.InstanceId);
                _removed.Add(r.InstanceId);
                _instances.Remove(r.InstanceId);
                _recorded.Remove(r.InstanceId);
                _triedHosts.Remove(r.InstanceId);
                break;
        }
    }

    private void Remember(InstanceState state, bool recorded)
    {
        _instances[state.Id] = state;
        if (recorded) _recorded[state.Id] = state;
        _nextNumber = Math.Max(_nextNumber, state.Spec.Number + 1);
    }

    private void Recovered()
    {
        Timers.StartPeriodicTimer("resend-builds", ResendBuilds.Instance, TimeSpan.FromSeconds(2));
        var unplaced = _instances.Values.Where(i => i.VmState == VmState.Building && i.Host is null).ToList();
        foreach (var i in unplaced) Schedule(i.Spec);
        // A snapshot keeps the queued actions but only the instances' stable states: show the tasks they started again.
        foreach (var q in _queued.Values)
            if (_instances.TryGetValue(q.InstanceId, out var waiting) && waiting.TaskState is null
                && waiting.Decide(q.Action, q.At) is { Event: { } started })
                _instances[q.InstanceId] = waiting with { TaskState = started.Task };
        _log.Info("Directory recovered {0} instances (next number {1}); rescheduling {2} unplaced", _instances.Count, _nextNumber, unplaced.Count);
        SyncPorts();
    }

    /// <summary>
    /// Tells the network service what this book holds: the addresses of its instances (it makes the ports of those
    /// booted before it existed, and ignores the rest) and the removed ones, released as any other (a release lost in
    /// a hand-over may still hold addresses). Both are idempotent there; sent in batches so no message is large.
    /// </summary>
    private void SyncPorts()
    {
        if (_network is null) return;
        const int batch = 500;
        foreach (var chunk in _instances.Values.Where(i => i.Spec.Addresses.Length > 0).Chunk(batch))
            _network.Tell(new AdoptInstancePorts(chunk.Select(i => new InstanceAddresses(i.Id, i.Spec.ProjectId, i.Spec.AvailabilityZone, i.Spec.Addresses)).ToArray()));
        foreach (var id in _removed) ReleasePortsOf(id);
    }

    /// <summary>
    /// The ports of a removed instance go, sent with the others removed within 200 ms, and again until the network
    /// service answers: a release lost on the way (its actor restarting, a hand-over) would keep the addresses.
    /// </summary>
    private void ReleasePortsOf(Guid id)
    {
        if (_network is null) return;
        _portsToRelease.Add(id);
        if (!_releaseInFlight && !Timers.IsTimerActive(FlushPortReleases.Key))
            Timers.StartSingleTimer(FlushPortReleases.Key, FlushPortReleases.Instance, TimeSpan.FromMilliseconds(200));
    }

    private void FlushReleases()
    {
        if (_network is null || _releaseInFlight || _portsToRelease.Count == 0) return;
        var batch = _portsToRelease.Take(1000).ToArray();
        _releaseInFlight = true;
        _network.Ask<object>(new ReleaseDevicePorts(batch.Select(i => i.ToString()).ToArray()), TimeSpan.FromSeconds(3))
            .PipeTo(Self, success: answer => new PortsReleased(answer is NetworkingDone ? batch : []),
                failure: _ => new PortsReleased([]));
    }

    private void Released(PortsReleased released)
    {
        _releaseInFlight = false;
        _portsToRelease.ExceptWith(released.Ids);
        if (_portsToRelease.Count == 0) return;
        if (released.Ids.Length == 0)
            _log.Warning("The network service did not confirm the release of the ports of {0} removed instance(s); asking again", _portsToRelease.Count);
        Timers.StartSingleTimer(FlushPortReleases.Key, FlushPortReleases.Instance,
            released.Ids.Length == 0 ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(200));
    }

    private sealed record FlushPortReleases
    {
        public const string Key = "release-ports";
        public static readonly FlushPortReleases Instance = new();
    }

    /// <summary>What the network service confirmed released (none: no answer, or not its usual one).</summary>
    private sealed record PortsReleased(Guid[] Ids);

    private void Snapshotted()
    {
        if (++_eventsSinceSnapshot < _snapshotEvery) return;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(new DirectorySnapshot(_nextNumber, _recorded.Values.ToArray(), _queued.Values.ToArray(), _removed.ToArray()));
    }

    private sealed record PendingBuild(InstanceSpec Spec, string Host, IActorRef Compute, DateTime SentAt);

    /// <summary>The host's answer to a delivered queued action; null when none came in time.</summary>
    private sealed record QueuedActionAnswered(InstanceActionQueued Queued, int Attempt, object? Answer);

    private sealed record ResendBuilds
    {
        public static readonly ResendBuilds Instance = new();
    }
}
