using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Compute;

/// <summary>
/// Owns one instance on this host: persists every lifecycle step, drives the hypervisor, and tells the
/// directory each new state. Its journal (instance-&lt;uuid&gt;) is the truth about the instance; after a
/// restart it replays it and applies Nova's restart rules so nothing stays in a transitional task_state.
/// </summary>
public sealed class InstanceActor : ReceivePersistentActor
{
    private readonly Guid _id;
    private readonly IHypervisor _hypervisor;
    private readonly IInstanceStorage _storage;
    private readonly IVifDriver _vifs;
    private readonly IActorRef _directory;
    private readonly ComputeSettings _settings;
    private readonly bool _justAssigned;
    private readonly bool _listedByHost;
    private bool _departed;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private InstanceState? _state;
    private Operation? _inFlight;
    private IActorRef? _console;
    private bool _stopAfterConsole;

    /// <param name="listedByHost">Made by the host for an instance its journal lists (after a restart, a passivation): its own journal must exist.</param>
    public InstanceActor(Guid id, IHypervisor hypervisor, IInstanceStorage storage, IActorRef directory, ComputeSettings settings, bool justAssigned,
        bool listedByHost = false, IVifDriver? vifs = null)
    {
        _id = id;
        _hypervisor = hypervisor;
        _storage = storage;
        _vifs = vifs ?? new InMemoryVifs();
        _directory = directory;
        _settings = settings;
        _justAssigned = justAssigned;
        _listedByHost = listedByHost;

        Recover<IInstanceEvent>(e => _state = Fold(_state, e));
        Recover<SnapshotOffer>(s => _state = (InstanceState)s.Snapshot);
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<BuildInstance>(Build);
        Command<PublishInstance>(_ => Publish());
        Command<InstanceCommand>(Act);
        Command<GetConsoleOutput>(ConsoleOutput);
        Command<FollowConsole>(FollowConsole);
        Command<LoginPromptAppeared>(LoginPromptAppeared);
        Command<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_console)) return;
            _console = null;
            if (_stopAfterConsole) Context.Stop(Self);
        });
        Command<RenameInstance>(Rename);
        Command<ChangeInstanceAttributes>(ChangeAttributes);
        Command<RebuildInstance>(Rebuild);
        Command<GuestPowerChanged>(_ => ReadPowerState());
        Command<PowerObserved>(PowerObservedNow);
        Command<OperationDone>(Done);
        Command<ReceiveTimeout>(_ =>
        {
            if (IsIdle) Context.Parent.Tell(new Passivate(_id, State.PowerState));
        });
        Command<PassivateConfirmed>(_ =>
        {
            if (IsIdle) Context.Stop(Self);
            else Context.Parent.Tell(new PassivateCancelled(_id));
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning("Snapshot of {0} failed: {1}", _id, f.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => StopAfterConsole());
        Command<DeleteMessagesFailure>(f =>
        {
            _log.Warning("Could not delete the journal of {0}: {1}", _id, f.Cause.Message);
            StopAfterConsole();
        });
    }

    public override string PersistenceId => $"instance-{_id}";

    /// <summary>
    /// An instance just assigned to this host has never snapshotted here, so its first incarnation replays
    /// the whole journal and skips the snapshot query: one database round trip less per boot (measured: the
    /// snapshot load was ~9% of the boot path's CPU). The journal is still read, so an instance that does
    /// have events (a departure whose delete failed) is still seen; a snapshot left behind by such a
    /// departure is ignored, which is right, as its events are gone. Later incarnations load snapshots.
    /// </summary>
    public override Recovery Recovery => _justAssigned ? new Recovery(SnapshotSelectionCriteria.None) : base.Recovery;

    /// <summary>
    /// Nothing under way: no task, no hypervisor call, nothing left to persist. An instance following its
    /// console.log is never idle: the tailer must see the guest's output as it comes (a real guest costs far
    /// more than its actor; passivation is for the fake driver's thousands of guests, which have no console file).
    /// </summary>
    private bool IsIdle => _state is { IsDeleted: false, TaskState: null } && _inFlight is null && _console is null;

    protected override void PreStart()
    {
        if (_settings.PassivateAfter is { } idle) SetReceiveTimeout(idle);
        base.PreStart();
    }

    public static Props Props(Guid id, IHypervisor hypervisor, IInstanceStorage storage, IActorRef directory, ComputeSettings settings,
        bool justAssigned = false, bool listedByHost = false, IVifDriver? vifs = null) =>
        Akka.Actor.Props.Create(() => new InstanceActor(id, hypervisor, storage, directory, settings, justAssigned, listedByHost, vifs));

    private InstanceState State => _state ?? throw new InvalidOperationException($"instance {_id} has no state yet");
    private string DomainName => State.Spec.InstanceName;
    private IReadOnlyList<GuestNic> Nics => GuestNics(State.Spec);

    /// <summary>The NICs the guest gets: its ports', unless this host gives guests none (<see cref="ComputeSettings.GuestNics"/>).</summary>
    private IReadOnlyList<GuestNic> GuestNics(InstanceSpec spec) => _settings.GuestNics ? InstanceNics.Of(spec) : [];

    private static InstanceState Fold(InstanceState? state, IInstanceEvent e) => e switch
    {
        InstanceAccepted accepted => InstanceState.Requested(accepted.Spec).Apply(accepted),
        _ => (state ?? throw new InvalidOperationException($"{e.GetType().Name} before InstanceAccepted")).Apply(e),
    };

    // ---- building -------------------------------------------------------------------------------------

    private void Build(BuildInstance build)
    {
        // Departing: the host assigns the build anew once this incarnation is gone (the directory sends it again).
        if (_departed) return;
        if (_state is not null)
        {
            // A repeated build: the directory that sends it may be a new incarnation that lost the earlier answers.
            Sender.Tell(new BuildAccepted(_id, _settings.Host));
            Publish();
            return;
        }
        var requester = Sender;
        var now = DateTimeOffset.UtcNow;
        // Networking was allocated with the request and there are no volumes: both steps are recorded, then spawn.
        PersistAll<IInstanceEvent>(
            [
                new InstanceAccepted(build.Spec, _settings.Host, now),
                new TaskStarted(TaskState.BlockDeviceMapping, now),
                new TaskStarted(TaskState.Spawning, now),
            ],
            e =>
            {
                Applied(e);
                if (e is TaskStarted { Task: TaskState.Spawning })
                {
                    requester.Tell(new BuildAccepted(_id, _settings.Host));
                    var spec = State.Spec;
                    Run(Operation.Spawn, () => Spawn(spec));
                }
            });
    }

    /// <summary>
    /// Nova's spawn: the instance's files (image, overlay, config drive) and its ports' devices on this host
    /// (plug_vifs), then define the guest and, unless <paramref name="start"/> is false (the rebuild of a stopped
    /// instance), start it.
    /// </summary>
    private async Task Spawn(InstanceSpec spec, bool start = true)
    {
        var log = _log;
        var progress = new Progress<string>(step => log.Info("Instance {0}: {1}", spec.Id, step));
        var nics = GuestNics(spec);
        // The ports' devices and the files are independent: made side by side, both done before the define.
        var plugged = _vifs.PlugAsync(spec.Id, nics);
        GuestDisks? disks;
        try
        {
            disks = await _storage.PrepareAsync(spec, progress);
        }
        catch
        {
            // The cleanup that follows unplugs: the plugging must be over by then, whatever its outcome.
            await plugged.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
        await plugged;
        var guest = new GuestDefinition(spec.InstanceName, spec.Id, $"{InstanceNaming.Hostname(spec)}.novalocal",
            spec.Flavor.MemoryMb, spec.Flavor.Vcpus, spec.Flavor.RootGb, disks, nics);
        await _hypervisor.DefineAsync(guest);
        if (start) await _hypervisor.StartAsync(guest.Name);
    }

    // ---- user actions ---------------------------------------------------------------------------------

    private void Act(InstanceCommand command)
    {
        if (command.Action == InstanceAction.Rebuild)
        {
            // A rebuild needs its image: it comes as RebuildInstance, never as a bare action.
            Sender.Tell(new ActionRejected("A rebuild needs an image (RebuildInstance).", 400));
            return;
        }
        if (Decided(command.Action) is not { } decision) return;
        if (decision.Event is null)
        {
            Sender.Tell(new ActionAccepted(State));
            return;
        }
        var requester = Sender;
        Record(decision.Event, () =>
        {
            requester.Tell(new ActionAccepted(State));
            if (_inFlight is null) StartTask(command.Action);
            // Otherwise the running operation finishes first and Done() picks up the delete.
        });
    }

    /// <summary>Nova's state check for <paramref name="action"/>; null, the refusal already answered, when it may not start now.</summary>
    private Decision? Decided(InstanceAction action)
    {
        if (_state is null)
        {
            Sender.Tell(new ActionRejected($"Instance {_id} could not be found.", 404));
            return null;
        }
        var decision = _state.Decide(action, DateTimeOffset.UtcNow);
        if (decision.Accepted) return decision;
        Sender.Tell(new ActionRejected(decision.Conflict!, _state.IsDeleted ? 404 : 409));
        return null;
    }

    /// <summary>Nova lets a server be renamed in any state but deleted; nothing runs on the guest for it.</summary>
    private void Rename(RenameInstance rename)
    {
        if (_state is null || _state.IsDeleted)
        {
            Sender.Tell(new ActionRejected($"Instance {_id} could not be found.", 404));
            return;
        }
        if (_state.Spec.Name == rename.Name)
        {
            Sender.Tell(new ActionAccepted(_state));
            return;
        }
        var requester = Sender;
        Record(new InstanceRenamed(rename.Name, DateTimeOffset.UtcNow), () => requester.Tell(new ActionAccepted(State)));
    }

    private void ChangeAttributes(ChangeInstanceAttributes change)
    {
        if (_state is null || _state.IsDeleted)
        {
            Sender.Tell(new ActionRejected($"Instance {_id} could not be found.", 404));
            return;
        }
        var requester = Sender;
        Record(new InstanceAttributesChanged(change.Attributes, DateTimeOffset.UtcNow), () => requester.Tell(new ActionAccepted(State)));
    }

    /// <summary>
    /// Nova's rebuild: allowed from active, stopped or error with no task; the new image is journaled with the
    /// start of the task, then the guest is removed and made again on a fresh disk from it.
    /// </summary>
    private void Rebuild(RebuildInstance rebuild)
    {
        if (Decided(InstanceAction.Rebuild) is not { Event: { } started }) return;
        var requester = Sender;
        Record(new InstanceRebuildStarted(rebuild.Image, started.At), () =>
        {
            requester.Tell(new ActionAccepted(State));
            StartTask(InstanceAction.Rebuild);
        });
    }

    /// <summary>The guest goes (domain first), then spawns again from the instance's (new) image; a stopped instance stays off.</summary>
    private async Task RebuildGuest(InstanceSpec spec, bool start)
    {
        await _hypervisor.RemoveAsync(spec.InstanceName);
        await Spawn(spec, start);
    }

    private void StartTask(InstanceAction action)
    {
        // Read actor state here, on the actor's thread; the work itself runs on the thread pool.
        var (name, nics) = (DomainName, Nics);
        // Nova's power_on and hard reboot plug the ports again first: a host restart may have lost their devices.
        switch (action)
        {
            case InstanceAction.Stop: Run(Operation.PowerOff, () => _hypervisor.PowerOffAsync(name, _settings.ShutdownTimeout)); break;
            case InstanceAction.Start: Run(Operation.PowerOn, () => PlugThen(nics, () => _hypervisor.StartAsync(name))); break;
            case InstanceAction.Reboot: Run(Operation.SoftReboot, () => _hypervisor.SoftRebootAsync(name, _settings.ShutdownTimeout)); break;
            case InstanceAction.RebootHard: Run(Operation.HardReboot, () => PlugThen(nics, () => _hypervisor.HardRebootAsync(name))); break;
            case InstanceAction.Delete: Run(Operation.Delete, () => RemoveGuestAndFiles(name, nics)); break;
            case InstanceAction.Pause: Run(Operation.Pause, () => _hypervisor.PauseAsync(name)); break;
            case InstanceAction.Unpause: Run(Operation.Unpause, () => _hypervisor.UnpauseAsync(name)); break;
            case InstanceAction.Suspend: Run(Operation.Suspend, () => _hypervisor.SuspendAsync(name)); break;
            // libvirt restores a managed-saved guest when it starts it, as Nova's resume does.
            case InstanceAction.Resume: Run(Operation.Resume, () => PlugThen(nics, () => _hypervisor.StartAsync(name))); break;
            case InstanceAction.Rebuild:
                var (spec, start) = (State.Spec, State.VmState != VmState.Stopped);
                Run(Operation.Rebuild, () => RebuildGuest(spec, start));
                break;
        }
    }

    private async Task PlugThen(IReadOnlyList<GuestNic> nics, Func<Task> start)
    {
        await _vifs.PlugAsync(_id, nics);
        await start();
    }

    /// <param name="cause">What led to this operation, handed back with its result (the spawn failure a cleanup follows).</param>
    private void Run(Operation operation, Func<Task> work, string? cause = null)
    {
        _inFlight = operation;
        Task.Run(work).ContinueWith(
            t => new OperationDone(operation, t.IsFaulted ? t.Exception!.GetBaseException().Message : null, cause),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
    }

    private void Done(OperationDone done)
    {
        _inFlight = null;
        var now = DateTimeOffset.UtcNow;
        if (done.Operation != Operation.Delete && State.TaskState == TaskState.Deleting)
        {
            StartTask(InstanceAction.Delete);
            return;
        }
        if (done.Error is { } error)
            _log.Warning("{0} of {1} ({2}) failed: {3}", done.Operation, _id, DomainName, error);

        switch (done.Operation, done.Error)
        {
            case (Operation.Spawn, null): Record(new InstanceSpawned(now)); break;
            case (Operation.Spawn, { } reason): SpawnFailed(reason); break;
            case (Operation.Cleanup, _): Reschedule(done.Cause ?? "spawn failed"); break;
            case (Operation.PowerOff, null): Record(new InstanceStopped(PowerState.Shutdown, now)); break;
            case (Operation.PowerOn, null):
            case (Operation.SoftReboot, null):
            case (Operation.HardReboot, null):
                Record(done.Operation == Operation.PowerOn ? new InstanceStarted(now) : new InstanceRebooted(now));
                break;
            case (Operation.Rebuild, null):
                Record(new InstanceRebuilt(State.VmState == VmState.Stopped ? PowerState.Shutdown : PowerState.Running, now));
                break;
            // The old guest is gone by then: there is no power state to keep.
            case (Operation.Rebuild, { } reason): Fail("Failed to rebuild instance: " + reason, now, PowerState.NoState); break;
            case (Operation.Pause, null): Record(new InstancePaused(now)); break;
            case (Operation.Unpause, null): Record(new InstanceUnpaused(now)); break;
            case (Operation.Suspend, null): Record(new InstanceSuspended(now)); break;
            case (Operation.Resume, null): Record(new InstanceResumed(now)); break;
            case (Operation.PowerOff or Operation.PowerOn or Operation.Pause or Operation.Unpause or Operation.Suspend or Operation.Resume, { } reason):
                Record(new TaskReverted(reason, now));
                break;
            case (Operation.SoftReboot, _):
                // Nova falls back to a hard reboot when the soft one does not work.
                Record(new TaskStarted(TaskState.RebootingHard, now), () => StartTask(InstanceAction.RebootHard));
                break;
            case (Operation.HardReboot, { } reason): Fail("Failed to reboot instance: " + reason, now); break;
            case (Operation.Delete, null): Record(new InstanceDeleted(now), Depart); break;
            case (Operation.Delete, { } reason): Fail("Failed to delete instance: " + reason, now); break;
        }
    }

    private const string BuildInterrupted = "Instance was still building when its compute host restarted";
    private const string RebuildInterrupted = "Instance was being rebuilt when its compute host restarted";

    private void SpawnFailed(string reason)
    {
        var (name, nics) = (DomainName, Nics);
        Run(Operation.Cleanup, async () =>
        {
            try { await RemoveGuestAndFiles(name, nics); }
            catch (Exception e) when (e is HypervisorException or IOException) { /* nothing (more) to clean up */ }
        }, cause: reason);
    }

    /// <summary>
    /// Nova's destroy + cleanup: the domain goes first (qemu holds the disk open, libvirt removes the taps with it),
    /// then the ports' devices on this host (unplug_vifs), then instances/&lt;uuid&gt;/.
    /// </summary>
    private async Task RemoveGuestAndFiles(string name, IReadOnlyList<GuestNic> nics)
    {
        await _hypervisor.RemoveAsync(name);
        await _vifs.UnplugAsync(nics.Select(n => n.PortId).ToList());
        await _storage.DeleteAsync(_id);
    }

    /// <summary>The spawn failed here: hand the build back to the directory, which tries another host or gives up.</summary>
    private void Reschedule(string reason)
    {
        var spec = State.Spec;
        Record(new InstanceRescheduled(reason, DateTimeOffset.UtcNow), () =>
        {
            _directory.Tell(new RescheduleBuild(spec, _settings.Host, reason));
            Depart();
        });
    }

    private void Fail(string message, DateTimeOffset now, int? powerState = null) =>
        Record(new InstanceFailed(new Fault(message, 500, message, now), powerState ?? State.PowerState, now));

    /// <summary>The instance is gone from this host: forget it, journal included, and stop.</summary>
    private void Depart()
    {
        _departed = true;
        ForgetConsole();
        Context.Parent.Tell(new InstanceDeparted(_id));
        DeleteMessages(LastSequenceNr);
        DeleteSnapshots(SnapshotSelectionCriteria.Latest);
    }

    // ---- console and power sync -----------------------------------------------------------------------

    private void ConsoleOutput(GetConsoleOutput request)
    {
        if (_state is null || _state.IsDeleted)
        {
            Sender.Tell(new ActionRejected($"Instance {_id} could not be found.", 404));
            return;
        }
        if (_console is not null)
        {
            _console.Forward(request);
            return;
        }
        _hypervisor.GetConsoleOutputAsync(DomainName).ContinueWith<object>(t =>
        {
            if (t.IsFaulted) return new ActionRejected("Guest does not have a console available: " + t.Exception!.GetBaseException().Message, 409);
            return new ConsoleOutput(_id, ConsoleTail.NovaTail(t.Result, request.Length));
        }, TaskContinuationOptions.ExecuteSynchronously).PipeTo(Sender);
    }

    /// <summary>
    /// Streams the console to a follower. Without a console file (the fake driver) there is nothing to follow:
    /// the follower gets what the hypervisor has now, and nothing after it.
    /// </summary>
    private void FollowConsole(FollowConsole follow)
    {
        if (_state is null || _state.IsDeleted)
        {
            Sender.Tell(new ActionRejected($"Instance {_id} could not be found.", 404));
            return;
        }
        if (_console is not null)
        {
            _console.Forward(follow);
            return;
        }
        if (_storage.ConsoleLogPath(_id) is not null)
        {
            // Its console file is followed once the guest is spawned; a follower now would wait in vain.
            Sender.Tell(new ActionRejected($"Guest of instance {_id} does not have a console available yet: it has not been spawned.", 409));
            return;
        }
        var id = _id;
        _hypervisor.GetConsoleOutputAsync(DomainName).ContinueWith<object>(t => t.IsFaulted
                ? new ActionRejected("Guest does not have a console available: " + t.Exception!.GetBaseException().Message, 409)
                : new ConsoleChunk(id, ConsoleTail.LastLines(t.Result, follow.Length)),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(follow.Subscriber);
    }

    /// <summary>
    /// Starts following console.log once the guest has been spawned, and again in every later incarnation
    /// (host restart, restart of this actor) until the instance is deleted. Nothing for a driver without a console file.
    /// </summary>
    private void AttachConsole()
    {
        if (_console is not null || _state is not { IsDeleted: false, LaunchedAt: not null, Host: not null }) return;
        if (_storage.ConsoleLogPath(_id) is not { } path) return;
        _console = Context.ActorOf(ConsoleTailer.Props(_id, path, _settings.ConsoleTailer, _state.LoginPromptAt is not null), "console");
        Context.Watch(_console);
    }

    /// <summary>
    /// The tailer's saved position goes with the instance. When no tailer runs (a host that died between
    /// recording the delete and departing), one is started for this alone: it recovers, forgets, and stops.
    /// </summary>
    private void ForgetConsole()
    {
        if (_console is null && _state is { LaunchedAt: not null } && _storage.ConsoleLogPath(_id) is { } path)
        {
            _console = Context.ActorOf(ConsoleTailer.Props(_id, path, _settings.ConsoleTailer, loginPromptKnown: true), "console");
            Context.Watch(_console);
        }
        _console?.Tell(Console.ForgetConsole.Instance);
    }

    /// <summary>The first login prompt on the console is recorded once; a later boot's prompt does not move it.</summary>
    private void LoginPromptAppeared(LoginPromptAppeared appeared)
    {
        if (_state is { IsDeleted: false, LoginPromptAt: null }) Record(new ConsoleLoginPromptSeen(appeared.At));
    }

    /// <summary>The journal is gone: stop, once the tailer has ended its followers and dropped its own position.</summary>
    private void StopAfterConsole()
    {
        if (_console is null) Context.Stop(Self);
        else _stopAfterConsole = true;
    }

    /// <summary>
    /// A lifecycle event or the periodic check says the guest's power changed. Events can arrive after an
    /// operation that caused them has finished, so, as Nova's _sync_instance_power_state does, the current
    /// state is read from the hypervisor before anything is decided.
    /// </summary>
    private void ReadPowerState()
    {
        if (_state is null || _state.IsDeleted || _inFlight is not null || _state.TaskState is not null) return;
        var self = Self;
        _hypervisor.GetPowerStateAsync(DomainName).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) self.Tell(new PowerObserved(t.Result ?? PowerState.NoState));
        }, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>
    /// Nova's power-state sync: a guest that went down by itself while the instance is active or paused makes
    /// the instance stopped; anything else just records the observed power state.
    /// </summary>
    private void PowerObservedNow(PowerObserved observed)
    {
        if (_state is null || _state.IsDeleted || _inFlight is not null || _state.TaskState is not null) return;
        if (observed.PowerState == _state.PowerState) return;
        var now = DateTimeOffset.UtcNow;
        if (_state.VmState is (VmState.Active or VmState.Paused)
            && observed.PowerState is (PowerState.Shutdown or PowerState.Crashed or PowerState.NoState))
            Record(new InstanceStopped(observed.PowerState, now));
        else
            Record(new PowerStateSynced(observed.PowerState, now));
    }

    // ---- recovery -------------------------------------------------------------------------------------

    private void Recovered()
    {
        if (_state is null)
        {
            // No journal, yet the host lists the instance: it left this host (its journal deleted) and the host died
            // before recording the departure, or the host died before the build's first events. It departs again, so
            // the host stops counting it; a build still pending is sent again by the directory and assigned anew.
            if (_listedByHost) Depart();
            return;
        }
        if (_state.IsDeleted || _state.Host is null)
        {
            Depart();
            return;
        }
        AttachConsole();
        PlugAfterRestart();
        var now = DateTimeOffset.UtcNow;
        var step = _state.RecoveryStep();
        if (step != RecoveryStep.None)
            _log.Info("Instance {0} was {1}/{2} when the host restarted: {3}", _id, _state.VmState, _state.TaskState, step);
        switch (step)
        {
            case RecoveryStep.MarkError:
                // A half-spawned guest is removed so no orphan domain is left behind; a rebuild makes it again.
                _hypervisor.RemoveAsync(DomainName).ContinueWith(
                    t => _log.Warning("Removing the half-spawned guest of {0} failed: {1}", _id, t.Exception!.GetBaseException().Message),
                    TaskContinuationOptions.OnlyOnFaulted);
                var interrupted = _state.TaskState is { } task && TaskState.Rebuild.Contains(task) ? RebuildInterrupted : BuildInterrupted;
                Record(new InstanceFailed(new Fault(interrupted, 500, interrupted, now), PowerState.NoState, now));
                break;
            case RecoveryStep.HardReboot:
                Record(new TaskStarted(TaskState.RebootingHard, now), () => StartTask(InstanceAction.RebootHard));
                break;
            case RecoveryStep.RetryStop: StartTask(InstanceAction.Stop); break;
            case RecoveryStep.RetryStart: StartTask(InstanceAction.Start); break;
            case RecoveryStep.FinishDelete: StartTask(InstanceAction.Delete); break;
            case RecoveryStep.ClearTask: Record(new TaskReverted("compute host restarted", now)); break;
            default:
                Publish();
                ReadPowerState();
                break;
        }
    }

    /// <summary>
    /// Nova's init_host plugs the ports of every instance of the host again, whatever its power state: a host that
    /// restarted may have lost their devices, and a guest still running needs its bridge. Operations that start the
    /// guest plug them too, so this is not waited for.
    /// </summary>
    private void PlugAfterRestart()
    {
        var (nics, id, log) = (Nics, _id, _log);
        if (nics.Count == 0) return;
        _vifs.PlugAsync(id, nics).ContinueWith(
            t => log.Warning("Plugging the ports of {0} again failed: {1}", id, t.Exception!.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    // ---- persistence helpers --------------------------------------------------------------------------

    private void Record(IInstanceEvent e, Action? then = null) => Persist(e, evt =>
    {
        Applied(evt);
        then?.Invoke();
    });

    private void Applied(IInstanceEvent e)
    {
        _state = Fold(_state, e);
        AttachConsole();
        Publish();
        if (LastSequenceNr % _settings.SnapshotEvery == 0) SaveSnapshot(_state);
    }

    private void Publish() => _directory.Tell(new InstanceChanged(State));

    private enum Operation
    {
        Spawn,
        Cleanup,
        PowerOff,
        PowerOn,
        SoftReboot,
        HardReboot,
        Delete,
        Pause,
        Unpause,
        Suspend,
        Resume,
        Rebuild,
    }

    private sealed record OperationDone(Operation Operation, string? Error, string? Cause = null);

    private sealed record PowerObserved(int PowerState);
}
