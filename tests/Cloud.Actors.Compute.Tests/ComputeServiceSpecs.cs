using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Virt.Fake;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>
/// The nova-compute service status (Nova's <c>openstack compute service set --disable</c>): the host journals it,
/// registers with it, and a restarted host comes back with it; the scheduler then places nothing there.
/// </summary>
public sealed class ComputeServiceSpecs(ITestOutputHelper output) : CloudSpec(output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private IActorRef StartCompute(string host, Akka.TestKit.TestProbe scheduler) =>
        Sys.ActorOf(ComputeActor.Props(new FakeHypervisor(new FakeHypervisorOptions { Hostname = host }), scheduler.Ref, CreateTestProbe().Ref,
            new ComputeSettings { Host = host, ConsoleTailer = new ConsoleTailerSettings() }));

    private HostCapabilities Registered(Akka.TestKit.TestProbe scheduler) => scheduler.ExpectMsg<RegisterHost>(Wait).Capabilities;

    [Fact]
    public void A_disabled_host_registers_as_disabled_before_it_confirms_and_after_it_restarts()
    {
        var scheduler = CreateTestProbe();
        var operatorProbe = CreateTestProbe();
        var compute = StartCompute("compute7", scheduler);
        Assert.True(Registered(scheduler).Enabled);

        compute.Tell(new ChangeServiceStatus(false, "disk <swap> & \"more\"", operatorProbe.Ref), scheduler.Ref);

        var disabled = Registered(scheduler);
        Assert.Equal((false, "disk <swap> & \"more\""), (disabled.Enabled, disabled.DisabledReason));
        Assert.Equal(new ServiceStatusChanged("compute7", false, "disk <swap> & \"more\"", operatorProbe.Ref),
            scheduler.ExpectMsg<ServiceStatusChanged>(Wait));

        Watch(compute);
        Sys.Stop(compute);
        ExpectTerminated(compute, Wait);
        StartCompute("compute7", scheduler);
        var restarted = Registered(scheduler);
        Assert.Equal((false, "disk <swap> & \"more\""), (restarted.Enabled, restarted.DisabledReason));
    }

    [Fact]
    public void Enabling_a_host_forgets_the_reason_it_was_disabled()
    {
        var scheduler = CreateTestProbe();
        var compute = StartCompute("compute8", scheduler);
        Registered(scheduler);
        compute.Tell(new ChangeServiceStatus(false, "maintenance", TestActor), scheduler.Ref);
        Registered(scheduler);
        scheduler.ExpectMsg<ServiceStatusChanged>(Wait);

        compute.Tell(new ChangeServiceStatus(true, "ignored when enabling", TestActor), scheduler.Ref);

        var enabled = Registered(scheduler);
        Assert.Equal((true, (string?)null), (enabled.Enabled, enabled.DisabledReason));
        Assert.Null(scheduler.ExpectMsg<ServiceStatusChanged>(Wait).DisabledReason);
    }

    [Fact]
    public async Task A_host_recovers_its_status_and_instances_from_a_snapshot_and_from_one_written_before_the_status_existed()
    {
        var id = Guid.NewGuid();
        var used = new Resources(1, 512, 1);
        var writer = Sys.ActorOf(Props.Create(() => new JournalWriter("compute-compute9")));
        Assert.Equal("written", await writer.Ask<string>(
            new WriteSnapshot(new ComputeSnapshot([new InstanceAssigned(id, used)], false, "rack move")), Wait));
        var scheduler = CreateTestProbe();

        StartCompute("compute9", scheduler);

        var registered = scheduler.ExpectMsg<RegisterHost>(Wait);
        Assert.Equal((false, "rack move"), (registered.Capabilities.Enabled, registered.Capabilities.DisabledReason));
        Assert.Equal(used, registered.Allocations[id]);
        // The snapshot lists an instance that has no journal of its own: it departs, and its claim is released.
        Assert.Equal(new ReleaseClaim("compute9", id), scheduler.FishForMessage<ReleaseClaim>(_ => true, Wait));

        var legacy = Sys.ActorOf(Props.Create(() => new JournalWriter("compute-compute10")));
        Assert.Equal("written", await legacy.Ask<string>(new WriteSnapshot(new[] { new InstanceAssigned(id, used) }), Wait));
        StartCompute("compute10", scheduler);
        var old = scheduler.ExpectMsg<RegisterHost>(Wait);
        Assert.True(old.Capabilities.Enabled);
        Assert.Equal(used, old.Allocations[id]);
    }

    [Fact]
    public async Task Through_Nova_a_disabled_host_gets_no_new_instances_until_it_is_enabled_again()
    {
        await using var cloud = await LocalCloud.Start(hosts: 2);

        var disabled = await cloud.Nova.SetServiceStatus("compute1", ComputeServiceView.ComputeBinary, enabled: false, "maintenance");

        Assert.Equal((false, "maintenance", true), (disabled.Enabled, disabled.DisabledReason, disabled.Up));
        for (var i = 0; i < 3; i++)
            Assert.Equal("compute2", (await cloud.WaitForStatus((await cloud.Boot($"vm{i}")).Id, "ACTIVE")).Host);

        await cloud.Nova.SetServiceStatus("compute2", ComputeServiceView.ComputeBinary, enabled: false, null);
        var refused = await cloud.Nova.Boot(new BootArguments("nowhere", "cirros", "m1.tiny", null, [LocalCloud.Privada]), LocalCloud.Admin);
        Assert.Equal("ERROR", (await cloud.WaitForStatus(refused.Single().State.Id, "ERROR")).Status);

        await cloud.Nova.SetServiceStatus("compute1", ComputeServiceView.ComputeBinary, enabled: true, null);
        Assert.Equal("compute1", (await cloud.WaitForStatus((await cloud.Boot("back")).Id, "ACTIVE")).Host);
        var services = await cloud.Nova.Services();
        Assert.Equal(["nova-scheduler/controller/enabled", "nova-compute/compute1/enabled", "nova-compute/compute2/disabled"],
            services.Select(s => $"{s.Binary}/{s.Host}/{(s.Enabled ? "enabled" : "disabled")}"));
    }

    [Theory]
    [InlineData("compute1", "nova-scheduler", 400, "Only nova-compute services can be updated")]
    [InlineData("nohost", "nova-compute", 404, "Host 'nohost' could not be found.")]
    public async Task Nova_refuses_to_change_what_it_cannot(string host, string binary, int code, string message)
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);

        var refused = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.SetServiceStatus(host, binary, enabled: false, null));

        Assert.Equal(code, refused.Code);
        Assert.Contains(message, refused.Message);
        Assert.True((await cloud.Nova.Services()).All(s => s.Enabled));
    }

    [Fact]
    public async Task Nova_refuses_a_reason_when_enabling_and_a_reason_that_is_not_printable()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);

        Assert.Equal(400, (await Assert.ThrowsAsync<NovaException>(() =>
            cloud.Nova.SetServiceStatus("compute1", ComputeServiceView.ComputeBinary, enabled: true, "why"))).Code);
        var control = await Assert.ThrowsAsync<NovaException>(() =>
            cloud.Nova.SetServiceStatus("compute1", ComputeServiceView.ComputeBinary, enabled: false, "bad\u0007reason"));
        Assert.Contains("disabled_reason", control.Message);
        Assert.True((await cloud.Nova.Services()).All(s => s.Enabled));
    }
}
