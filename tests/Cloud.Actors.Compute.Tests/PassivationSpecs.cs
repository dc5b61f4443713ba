using Akka.Actor;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.States;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>Idle instance actors are stopped to save memory and come back from their journal when needed.</summary>
public sealed class PassivationSpecs(ITestOutputHelper output) : CloudSpec(output)
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task An_idle_instance_actor_stops_and_a_command_brings_it_back_with_its_state()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1, passivateAfter: Idle);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");
        await AwaitAssertAsync(async () => Assert.False(await IsAlive(cloud, active)), TimeSpan.FromSeconds(5));

        await cloud.Nova.Act("vm", InstanceAction.Stop, LocalCloud.Admin);
        var stopped = await cloud.WaitForStatus(active.Id, "SHUTOFF");
        Assert.Equal((active.Spec.Number, active.Host, active.LaunchedAt), (stopped.Spec.Number, stopped.Host, stopped.LaunchedAt));
    }

    [Fact]
    public async Task A_dormant_instance_whose_guest_powers_off_is_woken_and_stopped()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1, passivateAfter: Idle);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");
        await AwaitAssertAsync(async () => Assert.False(await IsAlive(cloud, active)), TimeSpan.FromSeconds(5));

        cloud.Hypervisors["compute1"].SimulateGuestPowerOff(active.Spec.InstanceName);
        var stopped = await cloud.WaitForStatus(active.Id, "SHUTOFF");
        Assert.Equal(PowerState.Shutdown, stopped.PowerState);
    }

    [Fact]
    public async Task A_console_log_request_wakes_a_dormant_instance()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1, passivateAfter: Idle);
        var active = await cloud.WaitForStatus((await cloud.Boot("test2")).Id, "ACTIVE");
        await AwaitAssertAsync(async () => Assert.False(await IsAlive(cloud, active)), TimeSpan.FromSeconds(5));

        Assert.Contains("local-hostname: test2.novalocal", await cloud.Nova.ConsoleLog("test2", null, LocalCloud.Admin));
    }

    private static async Task<bool> IsAlive(LocalCloud cloud, InstanceState instance)
    {
        try
        {
            await cloud.System.ActorSelection(LocalCloud.InstancePath(instance.Host!, instance.Id)).ResolveOne(TimeSpan.FromMilliseconds(200));
            return true;
        }
        catch (ActorNotFoundException)
        {
            return false;
        }
    }
}
