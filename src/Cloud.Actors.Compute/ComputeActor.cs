using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Compute;

/// <summary>
/// One per compute host (at /user/compute). Knows durably which instances live here (compute-&lt;host&gt;),
/// keeps an InstanceActor per instance, registers the host's size and allocations with the scheduler and
/// the directory (again every few seconds, so a new scheduler singleton learns them), and routes
/// hypervisor lifecycle events and periodic power-state checks to the instances. It also journals the status
/// of the host's nova-compute service (enabled, or disabled with a reason), which every registration carries.
/// </summary>
public sealed class ComputeActor : ReceivePersistentActor, IWithTimers
{
    private readonly IHypervisor _hypervisor;
    private readonly IInstanceStorage _storage;
    private readonly IVifDriver _vifs;
    private readonly IActorRef _scheduler;
    private readonly IActorRef _directory;
    private readonly ComputeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Guid, Resources> _instances = new();
    private readonly Dictionary<Guid, IActorRef> _children = new();
    private readonly Dictionary<Guid, int> _dormantPower = new();
    private readonly Dictionary<Guid, List<(object Message, IActorRef Sender)>> _passivating = new();
    private readonly HashSet<Guid> _assigning = new();
    private readonly HashSet<Guid> _orphansReported = new();
    private Action<GuestLifecycleEvent>? _lifecycleHandler;
    private bool _enabled = true;
    private string? _disabledReason;

    public ComputeActor(IHypervisor hypervisor, IInstanceStorage storage, IActorRef scheduler, IActorRef directory, ComputeSettings settings,
        IVifDriver vifs)
    {
        _hypervisor = hypervisor;
        _storage = storage;
        _vifs = vifs;
        _scheduler = scheduler;
        _directory = directory;
        _settings = settings;

        Recover<InstanceAssigned>(e => _instances[e.InstanceId] = e.Resources);
        Recover<InstanceLeft>(e => _instances.Remove(e.InstanceId));
        Recover<ComputeServiceStatusChanged>(e => (_enabled, _disabledReason) = (e.Enabled, e.DisabledReason));
        Recover<SnapshotOffer>(s =>
        {
            switch (s.Snapshot)
            {
                case ComputeSnapshot snapshot:
                    foreach (var a in snapshot.Instances) _instances[a.InstanceId] = a.Resources;
                    (_enabled, _disabledReason) = (snapshot.Enabled, snapshot.DisabledReason);
                    break;
                // Snapshots written before the service status was journaled: the instances alone.
                case InstanceAssigned[] instances:
                    foreach (var a in instances) _instances[a.InstanceId] = a.Resources;
                    break;
            }
        });
        Recover<RecoveryCompleted>(_ => Started());

        Command<BuildInstance>(Build);
        Command<InstanceCommand>(c => ForwardToInstance(c.InstanceId, c));
        Command<GetConsoleOutput>(c => ForwardToInstance(c.InstanceId, c));
        Command<FollowConsole>(c => ForwardToInstance(c.InstanceId, c));
        Command<RenameInstance>(c => ForwardToInstance(c.InstanceId, c));
        Command<ChangeInstanceAttributes>(c => ForwardToInstance(c.InstanceId, c));
        Command<RebuildInstance>(c => ForwardToInstance(c.InstanceId, c));
        Command<GetInstanceActions>(c =>
        {
            if (_instances.ContainsKey(c.InstanceId)) Context.ActorOf(InstanceJournalReader.Props(c.InstanceId, Sender));
            else Sender.Tell(new ActionRejected($"Instance {c.InstanceId} could not be found on host {_settings.Host}.", 404));
        });
        Command<GuestPowerChanged>(c =>
        {
            if (!_instances.ContainsKey(c.InstanceId)) return;
            // A dormant instance is woken only when its guest's power really changed.
            if (!_children.ContainsKey(c.InstanceId) && !_passivating.ContainsKey(c.InstanceId)
                && _dormantPower.TryGetValue(c.InstanceId, out var known) && known == c.PowerState) return;
            Deliver(c.InstanceId, c, Sender);
        });
        Command<Passivate>(Passivate);
        Command<PassivateCancelled>(c =>
        {
            if (!_passivating.Remove(c.InstanceId, out var buffered)) return;
            _dormantPower.Remove(c.InstanceId);
            foreach (var (message, sender) in buffered) Deliver(c.InstanceId, message, sender);
        });
        Command<InstanceDeparted>(Departed);
        Command<Reregister>(_ => Register());
        Command<RegisterNow>(_ => Register());
        // Assignments still being journaled count: the directory that asks has sent their builds already.
        Command<ReportInstances>(_ => Sender.Tell(new HostInstances(_settings.Host, [.. _instances.Keys.Union(_assigning)])));
        Command<PublishInstance>(p =>
        {
            if (_instances.ContainsKey(p.InstanceId)) Deliver(p.InstanceId, p, Sender);
        });
        Command<ChangeServiceStatus>(ChangeServiceStatus);
        Command<GetHostStatus>(_ => ReportStatus());
        Command<SyncPowerStates>(_ => SyncPowerStates());
        Command<HostListed>(Listed);
        Command<Terminated>(t =>
        {
            if (!Guid.TryParse(t.ActorRef.Path.Name, out var id)) return;
            _children.Remove(id);
            // Messages that came while it was stopping go to its next incarnation.
            if (_passivating.Remove(id, out var buffered) && _instances.ContainsKey(id))
                foreach (var (message, sender) in buffered) Deliver(id, message, sender);
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning("Snapshot of compute-{0} failed: {1}", _settings.Host, f.Cause.Message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => $"compute-{_settings.Host}";

    /// <param name="vifs">How the host plugs its guests' ports; by default in memory (guests without real NICs).</param>
    public static Props Props(IHypervisor hypervisor, IActorRef scheduler, IActorRef directory, ComputeSettings settings, IInstanceStorage? storage = null,
        IVifDriver? vifs = null) =>
        Akka.Actor.Props.Create(() => new ComputeActor(hypervisor, storage ?? NoInstanceStorage.Instance, scheduler, directory, settings,
            vifs ?? new InMemoryVifs()));

    private void Started()
    {
        foreach (var id in _instances.Keys) Child(id);
        var self = Self;
        _lifecycleHandler = e => self.Tell(new GuestPowerChanged(e.Uuid, e.PowerState));
        _hypervisor.LifecycleChanged += _lifecycleHandler;
        Register();
        // Devices left by guests deleted while the host was down go now; the power states are each instance's to read.
        ListHost(syncPower: false);
        Timers.StartPeriodicTimer("register", Reregister.Instance, _settings.RegisterInterval);
        Timers.StartPeriodicTimer("power-sync", Compute.SyncPowerStates.Instance, _settings.PowerSyncInterval);
        _log.Info("Compute host {0} started with {1} instances ({2})", _settings.Host, _instances.Count, _hypervisor.HypervisorType);
    }

    protected override void PostStop()
    {
        if (_lifecycleHandler is not null) _hypervisor.LifecycleChanged -= _lifecycleHandler;
        base.PostStop();
    }

    private void Build(BuildInstance build)
    {
        var id = build.Spec.Id;
        if (_instances.ContainsKey(id))
        {
            Deliver(id, build, Sender);
            return;
        }
        // A repeated build (at-least-once delivery) while the assignment is being written: the first one answers.
        // And none while an earlier incarnation of the instance here is still stopping (it left this host): the
        // directory sends the build again, and then it gets an actor of its own.
        if (_children.ContainsKey(id) || !_assigning.Add(id)) return;
        var requester = Sender;
        // PersistAsync, not Persist: the assignment is still durable before the InstanceActor exists, but the
        // host keeps taking builds meanwhile, so concurrent boots on one host share a journal write instead of
        // queuing one write round trip each (measured: 210 ms p50 per assignment at 256 boots in flight).
        PersistAsync(new InstanceAssigned(id, build.Spec.Flavor.Resources), e =>
        {
            _assigning.Remove(e.InstanceId);
            _instances[e.InstanceId] = e.Resources;
            MaybeSnapshot();
            Child(id, justAssigned: true).Tell(build, requester);
        });
    }

    private void Departed(InstanceDeparted departed)
    {
        _dormantPower.Remove(departed.InstanceId);
        if (!_instances.ContainsKey(departed.InstanceId)) return;
        Persist(new InstanceLeft(departed.InstanceId), e =>
        {
            _instances.Remove(e.InstanceId);
            _scheduler.Tell(new ReleaseClaim(_settings.Host, e.InstanceId));
            MaybeSnapshot();
        });
    }

    private void ForwardToInstance(Guid id, object message)
    {
        if (_instances.ContainsKey(id)) Deliver(id, message, Sender);
        else Sender.Tell(new ActionRejected($"Instance {id} could not be found on host {_settings.Host}.", 404));
    }

    /// <summary>
    /// Passivation as Akka.Cluster.Sharding does it: messages for an instance whose actor is stopping are
    /// held and handed to its next incarnation, which recovers from the journal first.
    /// </summary>
    private void Passivate(Passivate request)
    {
        if (!_children.TryGetValue(request.InstanceId, out var child) || !child.Equals(Sender)) return;
        if (_passivating.ContainsKey(request.InstanceId)) return;
        _passivating[request.InstanceId] = [];
        _dormantPower[request.InstanceId] = request.PowerState;
        child.Tell(PassivateConfirmed.Instance);
    }

    private void Deliver(Guid id, object message, IActorRef sender)
    {
        if (_passivating.TryGetValue(id, out var buffered)) buffered.Add((message, sender));
        else Child(id).Tell(message, sender);
    }

    private IActorRef Child(Guid id, bool justAssigned = false)
    {
        if (_children.TryGetValue(id, out var child)) return child;
        _dormantPower.Remove(id);
        child = Context.ActorOf(InstanceActor.Props(id, _hypervisor, _storage, _directory, _settings, justAssigned, listedByHost: !justAssigned, _vifs),
            id.ToString());
        Context.Watch(child);
        _children[id] = child;
        return child;
    }

    private HostCapabilities Capabilities()
    {
        var r = _hypervisor.Resources;
        var properties = new Dictionary<string, string>(_settings.Properties)
        {
            ["hypervisor_type"] = _hypervisor.HypervisorType,
        };
        return new HostCapabilities(_settings.Host, r.HypervisorHostname, _hypervisor.HypervisorType,
            r.Vcpus, r.MemoryMb, r.DiskGb, _settings.AvailabilityZone, _enabled, properties, _disabledReason);
    }

    private void Register()
    {
        _scheduler.Tell(new RegisterHost(Capabilities(), new Dictionary<Guid, Resources>(_instances), Self));
        _directory.Tell(new ComputeAvailable(_settings.Host, Self));
    }

    /// <summary>The host for the shell: what it registers, its instances, and the guests the hypervisor lists now.</summary>
    private void ReportStatus()
    {
        var (sender, capabilities, instances) = (Sender, Capabilities(), _instances.Keys.ToHashSet());
        var storage = _storage;
        _hypervisor.ListAsync().PipeTo(sender, success: guests => new HostStatus(capabilities, instances.Count, guests
            .Select(g => new HostGuest(g.Name, g.Uuid, g.PowerState,
                instances.Contains(g.Uuid) ? HostGuest.OwnedByInstance
                : g.Name.StartsWith(OrphanPrefix, StringComparison.Ordinal) && storage.HasFiles(g.Uuid) ? HostGuest.Orphan
                : HostGuest.OtherHost))
            .ToArray()));
    }

    /// <summary>
    /// Journals the new status, registers with it, then confirms to the scheduler, which applies it and answers
    /// the operator. The confirmation goes the way the registrations go (the singleton proxy), so no registration
    /// sent earlier with the old status can arrive after it.
    /// </summary>
    private void ChangeServiceStatus(ChangeServiceStatus change)
    {
        Persist(new ComputeServiceStatusChanged(change.Enabled, change.Enabled ? null : change.DisabledReason, DateTimeOffset.UtcNow), e =>
        {
            (_enabled, _disabledReason) = (e.Enabled, e.DisabledReason);
            _log.Info("Compute service of {0} {1}{2}", _settings.Host, e.Enabled ? "enabled" : "disabled",
                e.DisabledReason is null ? "" : $": {e.DisabledReason}");
            Register();
            _scheduler.Tell(new ServiceStatusChanged(_settings.Host, e.Enabled, e.DisabledReason, change.ReplyTo));
            MaybeSnapshot();
        });
    }

    private void SyncPowerStates() => ListHost(syncPower: true);

    /// <summary>The hypervisor's guests and the host's plugged ports, listed in one pass off the actor's thread.</summary>
    private void ListHost(bool syncPower)
    {
        var (self, log, vifs, hypervisor) = (Self, _log, _vifs, _hypervisor);
        Task.Run(async () => new HostListed(await hypervisor.ListAsync(), await vifs.ListAsync(), syncPower))
            .ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) self.Tell(t.Result);
                else log.Warning("Listing the guests and plugged ports of the host failed: {0}", t.Exception!.GetBaseException().Message);
            }, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>
    /// Nova's _sync_power_states over what the hypervisor listed: every instance of the host hears its guest's
    /// power state, NOSTATE when its guest is gone; a guest of this host that no instance owns is an orphan
    /// (Nova's _cleanup_running_deleted_instances), logged or reaped as configured. Stale port devices go first.
    /// </summary>
    private void Listed(HostListed listed)
    {
        UnplugStale(listed);
        if (!listed.SyncPower) return;
        var seen = new HashSet<Guid>();
        foreach (var guest in listed.Guests)
        {
            seen.Add(guest.Uuid);
            if (_instances.ContainsKey(guest.Uuid)) Self.Tell(new GuestPowerChanged(guest.Uuid, guest.PowerState));
            else if (guest.Name.StartsWith(OrphanPrefix, StringComparison.Ordinal) && _storage.HasFiles(guest.Uuid)) Orphan(guest);
        }
        foreach (var id in _instances.Keys)
            if (!seen.Contains(id) && !_assigning.Contains(id)) Self.Tell(new GuestPowerChanged(id, PowerState.NoState));
        _orphansReported.IntersectWith(seen);
    }

    private const string OrphanPrefix = "instance-";

    /// <summary>
    /// The ports' devices of instances no longer on this host go: a host that died between deleting a guest and
    /// unplugging its ports leaves them behind. Those of an instance being built here, and of a guest still defined
    /// (an orphan that is only logged), stay.
    /// </summary>
    private void UnplugStale(HostListed listed)
    {
        var guests = listed.Guests.Select(g => g.Uuid).ToHashSet();
        var stale = listed.Vifs
            .Where(v => !_instances.ContainsKey(v.InstanceId) && !_assigning.Contains(v.InstanceId) && !_children.ContainsKey(v.InstanceId)
                        && !guests.Contains(v.InstanceId))
            .Select(v => v.PortId)
            .ToList();
        if (stale.Count == 0) return;
        _log.Info("Host {0}: removing the devices of {1} port(s) that no instance here uses: {2}", _settings.Host, stale.Count, string.Join(", ", stale));
        var log = _log;
        _vifs.UnplugAsync(stale).ContinueWith(t => log.Warning("Unplugging stale ports failed: {0}", t.Exception!.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    private void Orphan(GuestInfo guest)
    {
        if (_settings.OrphanAction == OrphanAction.Log)
        {
            if (_orphansReported.Add(guest.Uuid))
                _log.Warning("Found guest {0} ({1}) on host {2} that no instance owns; it is left alone (running-deleted-instance-action = log)",
                    guest.Name, guest.Uuid, _settings.Host);
            return;
        }
        _log.Warning("Reaping guest {0} ({1}) on host {2}: no instance owns it", guest.Name, guest.Uuid, _settings.Host);
        var (hypervisor, storage, log) = (_hypervisor, _storage, _log);
        Task.Run(async () =>
        {
            await hypervisor.RemoveAsync(guest.Name);
            await storage.DeleteAsync(guest.Uuid);
        }).ContinueWith(t => log.Warning("Reaping {0} failed: {1}", guest.Name, t.Exception!.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % 500 == 0)
            SaveSnapshot(new ComputeSnapshot(_instances.Select(kv => new InstanceAssigned(kv.Key, kv.Value)).ToArray(), _enabled, _disabledReason));
    }
}
