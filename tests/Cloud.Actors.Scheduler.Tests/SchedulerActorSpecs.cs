using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Scheduler.Filters;

namespace Cloud.Actors.Scheduler.Tests;

/// <summary>
/// The scheduler actor in an actor system of the cluster provider that has joined no cluster (the scheduler follows
/// cluster membership, which stays empty here): registrations, claims, and placements.
/// Hosts are 2 vCPU / 1024 MB / 10 GB unless said otherwise; requests 1 vCPU / 256 MB / 1 GB, so RAM binds
/// (1024 × 1.5 = 1536 MB = six instances per host).
/// </summary>
public class SchedulerActorSpecs : TestKit
{
    /// <summary>A node of the cluster provider on a free port of 127.0.0.1 that joins nothing.</summary>
    public const string UnjoinedClusterNode = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly Resources Small = new(1, 256, 1);

    private readonly IActorRef _scheduler;

    public SchedulerActorSpecs() : base(UnjoinedClusterNode) => _scheduler = Sys.ActorOf(SchedulerActor.Props(AllocationRatios.Default));

    private TestProbe Register(HostCapabilities host, IReadOnlyDictionary<Guid, Resources>? allocations = null)
    {
        var compute = CreateTestProbe();
        Register(host, compute.Ref, allocations);
        return compute;
    }

    private void Register(HostCapabilities host, IActorRef compute, IReadOnlyDictionary<Guid, Resources>? allocations = null) =>
        _scheduler.Tell(new RegisterHost(host, allocations ?? new Dictionary<Guid, Resources>(), compute));

    private Task<object> Select(SelectDestination request) => _scheduler.Ask<object>(request, Timeout);

    private async Task<DestinationSelected> Placed(SelectDestination request) => Assert.IsType<DestinationSelected>(await Select(request));

    private async Task<HostView> View(string host) =>
        (await _scheduler.Ask<HostsReport>(GetHosts.Instance, Timeout)).Hosts.Single(h => h.Capabilities.Host == host);

    [Fact]
    public async Task Registered_host_receives_the_placement_with_its_compute_actor()
    {
        var compute = Register(Given.Host("compute-1"));
        var request = Given.Request();

        var placed = await Placed(request);

        Assert.Equal(request.InstanceId, placed.InstanceId);
        Assert.Equal("compute-1", placed.Host);
        Assert.Equal(compute.Ref, placed.Compute);
    }

    [Fact]
    public async Task Placement_names_the_next_best_hosts_as_alternates()
    {
        Register(Given.Host("a", memoryMb: 4096));
        Register(Given.Host("b", memoryMb: 2048));
        Register(Given.Host("c", memoryMb: 1024));

        var placed = await Placed(Given.Request());

        Assert.Equal("a", placed.Host);
        Assert.Equal(["b", "c"], placed.Alternates);
    }

    [Fact]
    public async Task Placement_claims_the_requested_resources_on_the_host()
    {
        Register(Given.Host("compute-1"));

        await Placed(Given.Request());

        var view = await View("compute-1");
        Assert.Equal(Small, view.Used);
        Assert.Equal(1, view.RunningVms);
    }

    [Fact]
    public async Task No_registered_host_gives_no_valid_host()
    {
        var request = Given.Request();

        var reply = Assert.IsType<NoValidHost>(await Select(request));

        Assert.Equal(request.InstanceId, reply.InstanceId);
        Assert.Equal("no compute hosts are registered or all were tried", reply.Reason);
    }

    [Fact]
    public async Task Request_too_big_for_every_host_gives_no_valid_host_naming_the_filter()
    {
        Register(Given.Host("compute-1", memoryMb: 1024));

        var reply = Assert.IsType<NoValidHost>(await Select(Given.Request(memoryMb: 2048)));

        Assert.Equal("Filter RamFilter returned 0 hosts", reply.Reason);
    }

    [Fact]
    public async Task Concurrent_requests_never_overcommit_a_host_and_fill_exactly_what_fits()
    {
        string[] hosts = ["c1", "c2", "c3"];
        foreach (var host in hosts) Register(Given.Host(host));

        var requests = Enumerable.Range(0, 200).Select(_ => Given.Request()).ToList();
        var replies = await Task.WhenAll(requests.AsParallel().Select(Select).ToList());

        var placed = replies.OfType<DestinationSelected>().ToList();
        Assert.Equal(200, placed.Count + replies.OfType<NoValidHost>().Count());
        Assert.Equal(3 * 6, placed.Count);
        Assert.Equal(placed.Count, placed.Select(p => p.InstanceId).Distinct().Count());
        foreach (var host in hosts)
        {
            var view = await View(host);
            Assert.True(view.Used.MemoryMb <= view.Capabilities.MemoryMb * 1.5, $"{host} uses {view.Used.MemoryMb} MB");
            Assert.Equal(6, view.RunningVms);
            Assert.Equal(6, placed.Count(p => p.Host == host));
        }
    }

    [Fact]
    public async Task Released_claim_frees_capacity_for_the_next_instance()
    {
        Register(Given.Host("compute-1", memoryMb: 256, diskGb: 1));
        var first = await Placed(Given.Request(memoryMb: 384));
        Assert.IsType<NoValidHost>(await Select(Given.Request(memoryMb: 384)));

        _scheduler.Tell(new ReleaseClaim("compute-1", first.InstanceId));

        Assert.Equal("compute-1", (await Placed(Given.Request(memoryMb: 384))).Host);
    }

    [Fact]
    public async Task Releasing_an_unknown_claim_changes_nothing()
    {
        Register(Given.Host("compute-1"));
        await Placed(Given.Request());

        _scheduler.Tell(new ReleaseClaim("compute-1", Guid.NewGuid()));
        _scheduler.Tell(new ReleaseClaim("no-such-host", Guid.NewGuid()));

        Assert.Equal(Small, (await View("compute-1")).Used);
    }

    [Fact]
    public async Task Registration_counts_the_allocations_the_host_reports()
    {
        var allocations = new Dictionary<Guid, Resources> { [Guid.NewGuid()] = Small, [Guid.NewGuid()] = Small };

        Register(Given.Host("compute-1"), allocations);

        var view = await View("compute-1");
        Assert.Equal(Small + Small, view.Used);
        Assert.Equal(2, view.RunningVms);
    }

    [Fact]
    public async Task Recent_claim_survives_a_registration_that_omits_it()
    {
        var compute = Register(Given.Host("compute-1"));
        await Placed(Given.Request());

        Register(Given.Host("compute-1"), compute.Ref);

        var view = await View("compute-1");
        Assert.Equal(Small, view.Used);
        Assert.Equal(1, view.RunningVms);
    }

    [Fact]
    public async Task Reported_allocation_that_is_later_omitted_is_released()
    {
        var id = Guid.NewGuid();
        var compute = Register(Given.Host("compute-1"), new Dictionary<Guid, Resources> { [id] = Small });

        Register(Given.Host("compute-1"), compute.Ref);

        var view = await View("compute-1");
        Assert.Equal(Resources.Zero, view.Used);
        Assert.Equal(0, view.RunningVms);
    }

    [Fact]
    public async Task Claim_confirmed_by_the_host_is_released_when_the_host_stops_reporting_it()
    {
        var compute = Register(Given.Host("compute-1"));
        var placed = await Placed(Given.Request());
        Register(Given.Host("compute-1"), compute.Ref, new Dictionary<Guid, Resources> { [placed.InstanceId] = Small });

        Register(Given.Host("compute-1"), compute.Ref);

        Assert.Equal(Resources.Zero, (await View("compute-1")).Used);
    }

    [Fact]
    public async Task Reported_size_replaces_the_claimed_size()
    {
        var compute = Register(Given.Host("compute-1"));
        var placed = await Placed(Given.Request());
        var actual = new Resources(2, 512, 5);

        Register(Given.Host("compute-1"), compute.Ref, new Dictionary<Guid, Resources> { [placed.InstanceId] = actual });

        var view = await View("compute-1");
        Assert.Equal(actual, view.Used);
        Assert.Equal(1, view.RunningVms);
    }

    [Fact]
    public async Task Recent_claim_survives_the_host_registering_with_a_new_compute_actor()
    {
        Register(Given.Host("compute-1"));
        await Placed(Given.Request());

        var restarted = Register(Given.Host("compute-1"));

        var view = await View("compute-1");
        Assert.Equal(Small, view.Used);
        Assert.Equal(restarted.Ref, (await Placed(Given.Request())).Compute);
    }

    [Fact]
    public async Task Reschedule_picks_another_host_and_releases_the_claim_on_the_excluded_one()
    {
        Register(Given.Host("a", memoryMb: 2048));
        Register(Given.Host("b", memoryMb: 1024));
        var first = await Placed(Given.Request());
        Assert.Equal("a", first.Host);

        var retry = await Placed(Given.Request(id: first.InstanceId, excluded: ["a"]));

        Assert.Equal("b", retry.Host);
        Assert.Equal(Resources.Zero, (await View("a")).Used);
        Assert.Equal(Small, (await View("b")).Used);
    }

    [Fact]
    public async Task Reschedule_with_every_host_excluded_gives_no_valid_host_and_holds_no_claim()
    {
        Register(Given.Host("a"));
        var first = await Placed(Given.Request());

        Assert.IsType<NoValidHost>(await Select(Given.Request(id: first.InstanceId, excluded: ["a"])));

        Assert.Equal(Resources.Zero, (await View("a")).Used);
    }

    [Fact]
    public async Task Host_whose_compute_actor_stopped_is_down_and_gets_no_new_instances()
    {
        var compute = Register(Given.Host("a", memoryMb: 4096));
        Register(Given.Host("b"));
        await View("a"); // the registration is processed, so the scheduler watches the probe

        Sys.Stop(compute.Ref);

        await AwaitAssertAsync(async () => Assert.False((await View("a")).Up), Timeout);
        Assert.Equal("b", (await Placed(Given.Request())).Host);
    }

    [Fact]
    public async Task Only_host_down_gives_no_valid_host_from_the_compute_filter()
    {
        var compute = Register(Given.Host("a"));
        await View("a");

        Sys.Stop(compute.Ref);
        await AwaitAssertAsync(async () => Assert.False((await View("a")).Up), Timeout);

        Assert.Equal("Filter ComputeFilter returned 0 hosts", Assert.IsType<NoValidHost>(await Select(Given.Request())).Reason);
    }

    [Fact]
    public async Task Host_that_stopped_is_up_again_when_its_new_compute_actor_registers()
    {
        var compute = Register(Given.Host("a"));
        await View("a");
        Sys.Stop(compute.Ref);
        await AwaitAssertAsync(async () => Assert.False((await View("a")).Up), Timeout);

        var restarted = Register(Given.Host("a"));

        Assert.True((await View("a")).Up);
        Assert.Equal(restarted.Ref, (await Placed(Given.Request())).Compute);
    }

    /// <summary>
    /// An operator's change as the scheduler carries it out: the host's compute actor (here a probe) is asked
    /// to journal it and confirms; the operator's answer is the host's new view.
    /// </summary>
    private async Task<object> SetEnabled(TestProbe compute, string host, bool enabled, string? reason = null)
    {
        var answer = _scheduler.Ask<object>(new SetHostEnabled(host, enabled, reason), Timeout);
        var change = compute.ExpectMsg<ChangeServiceStatus>(Timeout);
        Assert.Equal((enabled, enabled ? null : reason), (change.Enabled, change.DisabledReason));
        compute.Reply(new ServiceStatusChanged(host, change.Enabled, change.DisabledReason, change.ReplyTo));
        return await answer;
    }

    [Fact]
    public async Task Disabled_host_is_excluded()
    {
        var a = Register(Given.Host("a", memoryMb: 4096));
        Register(Given.Host("b"));

        var view = Assert.IsType<HostView>(await SetEnabled(a, "a", false, "maintenance"));

        Assert.Equal((false, "maintenance"), (view.Capabilities.Enabled, view.Capabilities.DisabledReason));
        Assert.Equal("b", (await Placed(Given.Request())).Host);
    }

    [Fact]
    public async Task Re_enabled_host_receives_instances_again()
    {
        var a = Register(Given.Host("a"));
        await SetEnabled(a, "a", false);
        Assert.IsType<NoValidHost>(await Select(Given.Request()));

        var view = Assert.IsType<HostView>(await SetEnabled(a, "a", true));

        Assert.True(view.Capabilities.Enabled);
        Assert.Equal("a", (await Placed(Given.Request())).Host);
    }

    [Fact]
    public async Task Registration_is_the_hosts_word_on_its_status()
    {
        // The host journals its status; what it registers with (after a restart too) is what the scheduler keeps.
        var compute = Register(Given.Host("a"));
        await SetEnabled(compute, "a", false);

        Register(Given.Host("a", enabled: true), compute.Ref);
        Assert.True((await View("a")).Capabilities.Enabled);

        Register(Given.Host("a", enabled: false) with { DisabledReason = "journaled" });
        Assert.Equal((false, "journaled"), ((await View("a")).Capabilities.Enabled, (await View("a")).Capabilities.DisabledReason));
        Assert.IsType<NoValidHost>(await Select(Given.Request()));
    }

    [Fact]
    public async Task Changing_an_unknown_host_is_404_and_a_down_host_409_and_neither_reaches_a_host()
    {
        var compute = Register(Given.Host("a"));

        Assert.Equal(404, Assert.IsType<ActionRejected>(await _scheduler.Ask<object>(new SetHostEnabled("nope", false), Timeout)).Code);

        Sys.Stop(compute.Ref);
        await AwaitConditionAsync(async () => !(await View("a")).Up, Timeout);
        Assert.Equal(409, Assert.IsType<ActionRejected>(await _scheduler.Ask<object>(new SetHostEnabled("a", false), Timeout)).Code);
        Assert.True((await View("a")).Capabilities.Enabled);
    }

    [Fact]
    public async Task Hosts_report_names_the_schedulers_own_host_and_when_each_host_was_last_heard_from()
    {
        var scheduler = Sys.ActorOf(SchedulerActor.Props(AllocationRatios.Default, "ctl-1"));
        var before = DateTimeOffset.UtcNow;
        scheduler.Tell(new RegisterHost(Given.Host("a"), new Dictionary<Guid, Resources>(), CreateTestProbe().Ref));

        var report = await scheduler.Ask<HostsReport>(GetHosts.Instance, Timeout);

        Assert.Equal("ctl-1", report.SchedulerHost);
        Assert.InRange(report.Hosts.Single().UpdatedAt, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Host_registering_as_disabled_gets_no_instances()
    {
        Register(Given.Host("a", enabled: false));

        Assert.IsType<NoValidHost>(await Select(Given.Request()));
    }

    [Fact]
    public async Task Repeated_request_for_the_same_instance_gets_the_same_host_and_one_claim()
    {
        Register(Given.Host("a"));
        Register(Given.Host("b"));
        var request = Given.Request();

        var first = await Placed(request);
        var again = await Placed(request);

        Assert.Equal(first.Host, again.Host);
        Assert.Equal(first.Compute, again.Compute);
        Assert.Equal(1, (await View(first.Host)).RunningVms);
        Assert.Equal(Small, (await View(first.Host)).Used);
    }

    [Fact]
    public async Task Hosts_report_lists_every_host_by_name()
    {
        Register(Given.Host("c"));
        Register(Given.Host("a"));
        Register(Given.Host("b"));

        var report = await _scheduler.Ask<HostsReport>(GetHosts.Instance, Timeout);

        Assert.Equal(["a", "b", "c"], report.Hosts.Select(h => h.Capabilities.Host));
        Assert.All(report.Hosts, h => Assert.True(h.Up));
    }
}
