using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>The periodic power sync against what the hypervisor lists: vanished guests and guests no instance owns.</summary>
public sealed class PowerSyncSpecs(ITestOutputHelper output) : CloudSpec(output)
{
    private static readonly TimeSpan FastSync = TimeSpan.FromMilliseconds(200);

    private static GuestDefinition Orphan => new("instance-0000ffff", Guid.NewGuid(), "orphan.novalocal", 64, 1, 1);

    [Fact]
    public async Task An_active_instance_whose_guest_vanished_becomes_SHUTOFF_with_no_state()
    {
        await using var cloud = await LocalCloud.Start(1, configure: s => s with { PowerSyncInterval = FastSync });
        var booted = await cloud.Boot("test2");
        var active = await cloud.WaitForStatus(booted.Id, "ACTIVE");
        var hv = cloud.Hypervisors["compute1"];

        // Gone behind the host's back: no lifecycle event the instance would hear, only the sync tells.
        await hv.DestroyAsync(active.Spec.InstanceName);
        await hv.UndefineAsync(active.Spec.InstanceName);

        // The destroy's own event may first show the guest shut off; the sync then finds it gone.
        var stopped = await cloud.WaitFor(booted.Id, s => s is { Status: "SHUTOFF", PowerState: PowerState.NoState }, "SHUTOFF with no state");
        Assert.Equal(VmState.Stopped, stopped.VmState);
    }

    [Fact]
    public async Task A_paused_instance_whose_guest_was_shut_off_becomes_SHUTOFF_and_starts_again()
    {
        await using var cloud = await LocalCloud.Start(1, configure: s => s with { PowerSyncInterval = FastSync });
        var booted = await cloud.Boot("test2");
        var active = await cloud.WaitForStatus(booted.Id, "ACTIVE");
        await cloud.Nova.Act("test2", Domain.Instances.InstanceAction.Pause, LocalCloud.Admin);
        await cloud.WaitForStatus(booted.Id, "PAUSED");

        // Nova's sync: a paused instance whose guest is found shut down is stopped.
        await cloud.Hypervisors["compute1"].DestroyAsync(active.Spec.InstanceName);

        var stopped = await cloud.WaitForStatus(booted.Id, "SHUTOFF");
        Assert.Equal((VmState.Stopped, PowerState.Shutdown), (stopped.VmState, stopped.PowerState));
        await cloud.Nova.Act("test2", Domain.Instances.InstanceAction.Start, LocalCloud.Admin);
        await cloud.WaitForStatus(booted.Id, "ACTIVE");
    }

    [Fact]
    public async Task A_guest_no_instance_owns_is_reaped_when_configured_and_owned_guests_are_not()
    {
        await using var cloud = await LocalCloud.Start(1, configure: s => s with { PowerSyncInterval = FastSync, OrphanAction = OrphanAction.Reap });
        var booted = await cloud.Boot("test2");
        var active = await cloud.WaitForStatus(booted.Id, "ACTIVE");
        var hv = cloud.Hypervisors["compute1"];
        var orphan = Orphan;
        await hv.DefineAsync(orphan);
        await hv.StartAsync(orphan.Name);

        await AwaitConditionAsync(async () => await hv.GetPowerStateAsync(orphan.Name) is null, TimeSpan.FromSeconds(5));

        Assert.Equal(PowerState.Running, await hv.GetPowerStateAsync(active.Spec.InstanceName));
    }

    [Fact]
    public async Task A_guest_no_instance_owns_is_only_reported_by_default()
    {
        await using var cloud = await LocalCloud.Start(1, configure: s => s with { PowerSyncInterval = FastSync });
        var hv = cloud.Hypervisors["compute1"];
        var orphan = Orphan;
        // The cloud's warnings, as its loggers get them from its event stream.
        var warnings = CreateTestProbe(cloud.System);
        cloud.System.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));

        await hv.DefineAsync(orphan);
        await hv.StartAsync(orphan.Name);
        await warnings.FishForMessageAsync<Akka.Event.Warning>(w => w.Message.ToString()!.Contains("no instance owns"), TimeSpan.FromSeconds(5));
        // Several syncs pass; it is reported once.
        await Task.Delay(FastSync * 5);
        var later = new List<string>();
        while (warnings.HasMessages) later.Add(((Akka.Event.Warning)warnings.ReceiveOne(TimeSpan.Zero)!).Message.ToString()!);
        Assert.DoesNotContain(later, m => m.Contains("no instance owns"));
        Assert.Equal(PowerState.Running, await hv.GetPowerStateAsync(orphan.Name));
    }
}
