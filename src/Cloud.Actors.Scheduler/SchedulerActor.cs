using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Scheduler.Filters;

namespace Cloud.Actors.Scheduler;

/// <summary>
/// Places instances on compute hosts (a cluster singleton on the controller). Hosts register their size and
/// current allocations; the scheduler filters and weighs them and claims the resources before it answers, so
/// concurrent boots never overcommit a host. It keeps no journal: after a hand-over the hosts' periodic
/// registrations rebuild its view, as Nova's resource tracker does for placement. Whether a host's service is
/// enabled is the host's to journal: the scheduler passes an operator's change to the host and applies it when
/// the host has recorded it, and every registration carries it.
/// </summary>
public sealed class SchedulerActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    /// <summary>How long a claim the host has not yet reported survives a registration that omits it.</summary>
    private static readonly TimeSpan ClaimGrace = TimeSpan.FromSeconds(60);

    /// <summary>The compute role: members with it run compute hosts that register here.</summary>
    public const string ComputeRole = "compute";

    private readonly Dictionary<string, TrackedHost> _hosts = new(StringComparer.Ordinal);
    private readonly HostSelector _selector;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _host;
    private readonly HashSet<Address> _computeMembers = [];
    private Address _selfAddress = null!;
    private readonly TimeSpan _warmUp;
    private bool _warm;

    /// <param name="host">The node the scheduler runs on: the host of the nova-scheduler service in service-list.</param>
    /// <param name="warmUp">
    /// How long a new scheduler (a hand-over, a restart) holds placements back until every compute member has
    /// registered its allocations; placing on an empty book could put an instance a host already runs somewhere else.
    /// </param>
    public SchedulerActor(AllocationRatios ratios, string host, TimeSpan warmUp)
    {
        _selector = new HostSelector(ratios);
        _host = host;
        _warmUp = warmUp;
        _warm = warmUp <= TimeSpan.Zero;

        Receive<RegisterHost>(r =>
        {
            Register(r);
            CheckWarm();
        });
        Receive<SelectDestination>(r =>
        {
            if (_warm) Select(r);
            else Stash.Stash();
        });
        Receive<WarmUpOver>(_ => Warm("its warm-up is over"));
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (!up.Member.HasRole(ComputeRole)) return;
            _computeMembers.Add(up.Member.Address);
            // /user/compute is where a node program's compute host lives.
            Context.ActorSelection(new RootActorPath(up.Member.Address) / "user" / "compute").Tell(RegisterNow.Instance);
        });
        Receive<ReleaseClaim>(r =>
        {
            if (_hosts.TryGetValue(r.Host, out var host)) host.Release(r.InstanceId);
        });
        Receive<SetHostEnabled>(SetEnabled);
        Receive<ServiceStatusChanged>(c =>
        {
            if (!_hosts.TryGetValue(c.Host, out var host))
            {
                c.ReplyTo.Tell(new ActionRejected($"Compute host {c.Host} could not be found.", 404));
                return;
            }
            host.Capabilities = host.Capabilities with { Enabled = c.Enabled, DisabledReason = c.DisabledReason };
            _log.Info("Compute host {0} is now {1}{2}", c.Host, c.Enabled ? "enabled" : "disabled",
                c.DisabledReason is null ? "" : $" ({c.DisabledReason})");
            c.ReplyTo.Tell(host.View());
        });
        Receive<GetHosts>(_ => Sender.Tell(new HostsReport(_hosts.Values
            .OrderBy(h => h.Capabilities.Host, StringComparer.Ordinal)
            .Select(h => h.View())
            .ToArray(), _host)));
        Receive<Terminated>(t => MarkDown(h => h.Compute.Equals(t.ActorRef), "its compute actor stopped"));
        Receive<ClusterEvent.UnreachableMember>(u => MarkDown(h => AddressOf(h.Compute) == u.Member.Address, "unreachable"));
        Receive<ClusterEvent.MemberRemoved>(u =>
        {
            _computeMembers.Remove(u.Member.Address);
            MarkDown(h => AddressOf(h.Compute) == u.Member.Address, "removed");
            CheckWarm();
        });
        Receive<ClusterEvent.ReachableMember>(u =>
        {
            foreach (var h in _hosts.Values.Where(h => AddressOf(h.Compute) == u.Member.Address)) h.Up = true;
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(AllocationRatios ratios, string host = "controller", TimeSpan? warmUp = null) =>
        Akka.Actor.Props.Create(() => new SchedulerActor(ratios, host, warmUp ?? TimeSpan.Zero));

    protected override void PreStart()
    {
        var cluster = Cluster.Get(Context.System);
        _selfAddress = cluster.SelfAddress;
        if (!_warm) Timers.StartSingleTimer(WarmUpOver.Instance, WarmUpOver.Instance, _warmUp);
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));
    }

    /// <summary>A ref's node: local refs (hosts of this very node) carry no host in their path.</summary>
    private Address AddressOf(IActorRef actor) => actor.Path.Address.HasLocalScope ? _selfAddress : actor.Path.Address;

    /// <summary>Warm once every compute member has registered (at least one member: the membership events come after the start).</summary>
    private void CheckWarm()
    {
        if (_warm || _computeMembers.Count == 0) return;
        var registered = _hosts.Values.Select(h => AddressOf(h.Compute)).ToHashSet();
        if (_computeMembers.All(registered.Contains)) Warm($"its {_computeMembers.Count} compute member(s) have registered");
    }

    private void Warm(string why)
    {
        if (_warm) return;
        _warm = true;
        Timers.Cancel(WarmUpOver.Instance);
        _log.Info("Scheduler places instances now: {0} ({1} hosts known)", why, _hosts.Count);
        Stash.UnstashAll();
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private void Register(RegisterHost r)
    {
        var now = DateTime.UtcNow;
        if (!_hosts.TryGetValue(r.Capabilities.Host, out var host) || !host.Compute.Equals(r.Compute))
        {
            if (host is not null) Context.Unwatch(host.Compute);
            var previous = host;
            host = new TrackedHost(r.Capabilities, r.Compute);
            if (previous is not null) host.KeepRecentClaims(previous, now - ClaimGrace);
            _hosts[r.Capabilities.Host] = host;
            Context.Watch(r.Compute);
            _log.Info("Compute host {0} registered: {1} vCPU, {2} MB, {3} GB, zone {4}",
                r.Capabilities.Host, r.Capabilities.Vcpus, r.Capabilities.MemoryMb, r.Capabilities.DiskGb, r.Capabilities.AvailabilityZone);
        }
        host.Capabilities = r.Capabilities;
        host.Up = true;
        host.LastSeen = DateTimeOffset.UtcNow;
        host.Reconcile(r.Allocations, now - ClaimGrace);
    }

    /// <summary>An operator's enable/disable goes to the host, which journals it and answers with ServiceStatusChanged.</summary>
    private void SetEnabled(SetHostEnabled set)
    {
        if (!_hosts.TryGetValue(set.Host, out var host))
            Sender.Tell(new ActionRejected($"Compute host {set.Host} could not be found.", 404));
        else if (!host.Up)
            Sender.Tell(new ActionRejected($"Compute host {set.Host} is down; its service status can change once it is back.", 409));
        else
            host.Compute.Tell(new ChangeServiceStatus(set.Enabled, set.Enabled ? null : set.DisabledReason, Sender));
    }

    private void Select(SelectDestination request)
    {
        foreach (var excluded in request.ExcludedHosts)
            if (_hosts.TryGetValue(excluded, out var failed)) failed.Release(request.InstanceId);

        // At-least-once delivery: a repeated request for an instance already placed gets the same answer.
        var existing = _hosts.Values.FirstOrDefault(h => h.Allocations.ContainsKey(request.InstanceId) && h.Up
                                                         && !request.ExcludedHosts.Contains(h.Capabilities.Host));
        if (existing is not null)
        {
            Sender.Tell(new DestinationSelected(request.InstanceId, existing.Capabilities.Host, existing.Compute, []));
            return;
        }

        var selection = _selector.Select(_hosts.Values.Select(h => h.AsCandidate()), request);
        if (selection.Best is not { } best)
        {
            _log.Warning("No valid host for {0}: {1}", request.InstanceId, selection.Reason);
            Sender.Tell(new NoValidHost(request.InstanceId, selection.Reason ?? ""));
            return;
        }

        var chosen = _hosts[best.Host];
        chosen.Claim(request.InstanceId, request.Requested, DateTime.UtcNow);
        Sender.Tell(new DestinationSelected(request.InstanceId, best.Host, chosen.Compute, selection.Alternates.ToArray()));
    }

    private sealed record WarmUpOver
    {
        public static readonly WarmUpOver Instance = new();
    }

    private void MarkDown(Func<TrackedHost, bool> which, string why)
    {
        foreach (var host in _hosts.Values.Where(which).Where(h => h.Up))
        {
            host.Up = false;
            _log.Warning("Compute host {0} is down: {1}", host.Capabilities.Host, why);
        }
    }

    /// <summary>The scheduler's book on one host: its allocations by instance, kept with a running total.</summary>
    private sealed class TrackedHost(HostCapabilities capabilities, IActorRef compute)
    {
        private readonly Dictionary<Guid, DateTime> _claimedAt = new();

        public HostCapabilities Capabilities { get; set; } = capabilities;
        public IActorRef Compute { get; } = compute;
        public bool Up { get; set; } = true;
        public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.UtcNow;
        public Dictionary<Guid, Resources> Allocations { get; } = new();
        public Resources Used { get; private set; } = Resources.Zero;

        public HostCandidate AsCandidate() => new(Capabilities, Used, Up);

        public HostView View() => new(Capabilities, Up, Used, Allocations.Count, LastSeen);

        public void Claim(Guid id, Resources resources, DateTime at)
        {
            Release(id);
            Allocations[id] = resources;
            _claimedAt[id] = at;
            Used += resources;
        }

        public void Release(Guid id)
        {
            if (Allocations.Remove(id, out var r)) Used -= r;
            _claimedAt.Remove(id);
        }

        /// <summary>The host's report is the truth, except for claims too recent for it to know about.</summary>
        public void Reconcile(IReadOnlyDictionary<Guid, Resources> reported, DateTime recentSince)
        {
            foreach (var id in Allocations.Keys.ToList())
                if (!reported.ContainsKey(id) && !(_claimedAt.TryGetValue(id, out var at) && at >= recentSince))
                    Release(id);
            foreach (var (id, r) in reported)
            {
                if (Allocations.TryGetValue(id, out var known) && known == r) { _claimedAt.Remove(id); continue; }
                Release(id);
                Allocations[id] = r;
                Used += r;
            }
        }

        public void KeepRecentClaims(TrackedHost previous, DateTime recentSince)
        {
            foreach (var (id, at) in previous._claimedAt)
                if (at >= recentSince) Claim(id, previous.Allocations[id], at);
        }
    }
}
