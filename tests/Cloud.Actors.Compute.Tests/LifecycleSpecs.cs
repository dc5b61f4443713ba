using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.States;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>An instance's life through the real actors: boot, stop, start, reboot, delete, and what goes wrong.</summary>
public sealed class LifecycleSpecs(ITestOutputHelper output) : CloudSpec(output)
{
    [Fact]
    public async Task A_boot_reaches_active_on_a_registered_host_with_an_instance_name_and_address()
    {
        await using var cloud = await LocalCloud.Start(hosts: 2);
        var requested = await cloud.Boot("test2");
        Assert.Equal("BUILD", requested.Status);
        Assert.Equal(TaskState.Scheduling, requested.TaskState);

        var active = await cloud.WaitForStatus(requested.Id, "ACTIVE");
        Assert.Contains(active.Host, cloud.Hypervisors.Keys);
        Assert.Equal(PowerState.Running, active.PowerState);
        Assert.NotNull(active.LaunchedAt);
        Assert.Equal("instance-00000001", active.Spec.InstanceName);
        Assert.Equal("10.0.0.2", active.Spec.Addresses.Single().Address);
        Assert.Equal(PowerState.Running, await cloud.Hypervisors[active.Host!].GetPowerStateAsync("instance-00000001"));
    }

    [Fact]
    public async Task Stop_start_and_reboots_move_through_Novas_states()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var id = (await cloud.Boot("vm")).Id;
        await cloud.WaitForStatus(id, "ACTIVE");

        var stopping = await cloud.Nova.Act("vm", InstanceAction.Stop, LocalCloud.Admin);
        Assert.Equal(TaskState.PoweringOff, stopping.TaskState);
        var stopped = await cloud.WaitForStatus(id, "SHUTOFF");
        Assert.Equal((VmState.Stopped, PowerState.Shutdown), (stopped.VmState, stopped.PowerState));

        Assert.Equal(TaskState.PoweringOn, (await cloud.Nova.Act("vm", InstanceAction.Start, LocalCloud.Admin)).TaskState);
        await cloud.WaitForStatus(id, "ACTIVE");

        Assert.Equal(TaskState.Rebooting, (await cloud.Nova.Act("vm", InstanceAction.Reboot, LocalCloud.Admin)).TaskState);
        await cloud.WaitForStatus(id, "ACTIVE");
        Assert.Equal(TaskState.RebootingHard, (await cloud.Nova.Act("vm", InstanceAction.RebootHard, LocalCloud.Admin)).TaskState);
        var rebooted = await cloud.WaitForStatus(id, "ACTIVE");
        Assert.Equal(PowerState.Running, rebooted.PowerState);
    }

    [Fact]
    public async Task Pause_unpause_suspend_and_resume_move_through_Novas_states_and_the_guests()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");
        var guest = cloud.Hypervisors["compute1"];
        var name = active.Spec.InstanceName;

        Assert.Equal(TaskState.Pausing, (await cloud.Nova.Act("vm", InstanceAction.Pause, LocalCloud.Admin)).TaskState);
        var paused = await cloud.WaitForStatus(active.Id, "PAUSED");
        Assert.Equal((VmState.Paused, PowerState.Paused), (paused.VmState, paused.PowerState));
        Assert.Equal(PowerState.Paused, await guest.GetPowerStateAsync(name));
        await cloud.Nova.Act("vm", InstanceAction.Unpause, LocalCloud.Admin);
        await cloud.WaitForStatus(active.Id, "ACTIVE");

        Assert.Equal(TaskState.Suspending, (await cloud.Nova.Act("vm", InstanceAction.Suspend, LocalCloud.Admin)).TaskState);
        var suspended = await cloud.WaitForStatus(active.Id, "SUSPENDED");
        Assert.Equal((VmState.Suspended, PowerState.Shutdown), (suspended.VmState, suspended.PowerState));
        Assert.True(guest.HasSavedState(name));
        var bootedOnce = await guest.GetConsoleOutputAsync(name);
        await cloud.Nova.Act("vm", InstanceAction.Resume, LocalCloud.Admin);
        var resumed = await cloud.WaitForStatus(active.Id, "ACTIVE");
        Assert.Equal((PowerState.Running, active.LaunchedAt), (resumed.PowerState, resumed.LaunchedAt));
        Assert.Equal(bootedOnce, await guest.GetConsoleOutputAsync(name));

        var actions = await cloud.Nova.InstanceActions("vm", LocalCloud.Admin);
        Assert.Equal(["resume", "suspend", "unpause", "pause", "create"], actions.Select(a => a.Action));
    }

    [Fact]
    public async Task A_hard_reboot_of_a_suspended_instance_boots_it_afresh()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");
        var guest = cloud.Hypervisors["compute1"];
        await cloud.Nova.Act("vm", InstanceAction.Suspend, LocalCloud.Admin);
        await cloud.WaitForStatus(active.Id, "SUSPENDED");
        var console = await guest.GetConsoleOutputAsync(active.Spec.InstanceName);

        await cloud.Nova.Act("vm", InstanceAction.RebootHard, LocalCloud.Admin);

        Assert.Equal(PowerState.Running, (await cloud.WaitForStatus(active.Id, "ACTIVE")).PowerState);
        Assert.False(guest.HasSavedState(active.Spec.InstanceName));
        Assert.True((await guest.GetConsoleOutputAsync(active.Spec.InstanceName)).Length > console.Length);
    }

    [Fact]
    public async Task A_rebuild_remakes_the_guest_from_the_new_image_and_keeps_a_stopped_instance_stopped()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");
        var guest = cloud.Hypervisors["compute1"];
        var otra = await RegisterImageAsync(cloud, "otra");

        var rebuilding = await cloud.Nova.Rebuild("vm", "otra", LocalCloud.Admin);

        Assert.Equal(("REBUILD", otra.Id), (rebuilding.State.Status, rebuilding.State.Spec.Image.Id));
        var rebuilt = await cloud.WaitForStatus(active.Id, "ACTIVE");
        Assert.Equal(("otra", PowerState.Running, active.Spec.Addresses, active.Host), (rebuilt.Spec.Image.Name, rebuilt.PowerState, rebuilt.Spec.Addresses, rebuilt.Host));
        Assert.True(rebuilt.LaunchedAt > active.LaunchedAt);
        Assert.Equal(PowerState.Running, await guest.GetPowerStateAsync(active.Spec.InstanceName));

        await cloud.Nova.Act("vm", InstanceAction.Stop, LocalCloud.Admin);
        await cloud.WaitForStatus(active.Id, "SHUTOFF");
        await cloud.Nova.Rebuild("vm", "cirros", LocalCloud.Admin);
        var stopped = await cloud.WaitFor(active.Id, s => s.Spec.Image.Name == "cirros" && s.TaskState is null, "rebuilt");
        Assert.Equal(("SHUTOFF", PowerState.Shutdown), (stopped.Status, stopped.PowerState));
        Assert.Equal(PowerState.Shutdown, await guest.GetPowerStateAsync(active.Spec.InstanceName));
        Assert.Equal(["rebuild", "stop", "rebuild", "create"], (await cloud.Nova.InstanceActions("vm", LocalCloud.Admin)).Select(a => a.Action));
    }

    [Fact]
    public async Task A_rebuild_that_fails_leaves_the_instance_in_error_and_another_rebuild_repairs_it()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");
        cloud.Hypervisors["compute1"].FailNext("define", active.Spec.InstanceName, "disk full");

        await cloud.Nova.Rebuild("vm", "cirros", LocalCloud.Admin);

        var failed = await cloud.WaitForStatus(active.Id, "ERROR");
        Assert.Contains("disk full", failed.Fault!.Message);
        // The old guest was removed before the define failed: no power state is left to show.
        Assert.Equal(PowerState.NoState, failed.PowerState);
        await cloud.Nova.Rebuild("vm", "cirros", LocalCloud.Admin);
        Assert.Equal(PowerState.Running, (await cloud.WaitForStatus(active.Id, "ACTIVE")).PowerState);
    }

    [Fact]
    public async Task Rebuilding_from_an_unknown_image_or_a_paused_instance_is_refused_and_changes_nothing()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");

        Assert.Equal(400, (await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.Rebuild("vm", "no-such-image", LocalCloud.Admin))).Code);
        // Bigger than m1.tiny's 1 GB root disk: refused before the guest is touched, as Nova's _check_requested_image.
        await RegisterImageAsync(cloud, "grande", sizeBytes: 2L << 30);
        var tooBig = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.Rebuild("vm", "grande", LocalCloud.Admin));
        Assert.Contains("Flavor's disk is too small", tooBig.Message);
        Assert.Equal(PowerState.Running, await cloud.Hypervisors["compute1"].GetPowerStateAsync(active.Spec.InstanceName));
        // A rebuild carries its image: as a bare action it is refused.
        var bare = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.Act("vm", InstanceAction.Rebuild, LocalCloud.Admin));
        Assert.Equal(400, bare.Code);
        await cloud.Nova.Act("vm", InstanceAction.Pause, LocalCloud.Admin);
        await cloud.WaitForStatus(active.Id, "PAUSED");
        var paused = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.Rebuild("vm", "cirros", LocalCloud.Admin));

        Assert.Equal(409, paused.Code);
        Assert.Contains("vm_state paused", paused.Message);
        Assert.Equal(["pause", "create"], (await cloud.Nova.InstanceActions("vm", LocalCloud.Admin)).Select(a => a.Action));
    }

    /// <summary>An active image besides cirros, as an upload would leave it.</summary>
    private static async Task<Domain.Catalog.Image> RegisterImageAsync(LocalCloud cloud, string name, long sizeBytes = 1024)
    {
        var image = new Domain.Catalog.Image(Guid.NewGuid().ToString(), name, "active", "raw", "bare", sizeBytes, 0, 0,
            new Dictionary<string, string>(), DateTimeOffset.UtcNow, "0123456789abcdef0123456789abcdef", null, Domain.Catalog.Image.Public);
        await cloud.Catalog.Ask<object>(new Domain.Messages.RegisterImage(image), TimeSpan.FromSeconds(5));
        return image;
    }

    [Theory]
    [InlineData(InstanceAction.Unpause, "active")]
    [InlineData(InstanceAction.Resume, "active")]
    public async Task Unpausing_or_resuming_an_active_instance_is_a_conflict(InstanceAction action, string vmState)
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var id = (await cloud.Boot("vm")).Id;
        await cloud.WaitForStatus(id, "ACTIVE");

        var error = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.Act("vm", action, LocalCloud.Admin));

        Assert.Equal(409, error.Code);
        Assert.Equal($"Cannot '{action.ApiName()}' instance {id} while it is in vm_state {vmState}", error.Message);
    }

    [Fact]
    public async Task A_failed_pause_leaves_the_instance_active_and_says_why_in_its_actions()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");
        cloud.Hypervisors["compute1"].FailNext("pause", active.Spec.InstanceName, "qemu is busy");

        await cloud.Nova.Act("vm", InstanceAction.Pause, LocalCloud.Admin);

        var after = await cloud.WaitForStatus(active.Id, "ACTIVE");
        Assert.Equal((VmState.Active, PowerState.Running), (after.VmState, after.PowerState));
        var pause = (await cloud.Nova.InstanceActions("vm", LocalCloud.Admin)).First();
        Assert.Equal(("pause", "Error"), (pause.Action, pause.Events.Single().Result));
        Assert.Contains("qemu is busy", pause.Events.Single().Traceback);
    }

    [Fact]
    public async Task Starting_an_active_instance_is_a_conflict_naming_its_state()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var id = (await cloud.Boot("vm")).Id;
        await cloud.WaitForStatus(id, "ACTIVE");

        var error = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.Act("vm", InstanceAction.Start, LocalCloud.Admin));
        Assert.Equal(409, error.Code);
        Assert.Equal($"Cannot 'start' instance {id} while it is in vm_state active", error.Message);
    }

    [Fact]
    public async Task Delete_removes_the_guest_the_record_and_the_claim()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var id = (await cloud.Boot("vm")).Id;
        await cloud.WaitForStatus(id, "ACTIVE");

        await cloud.Nova.Act(id.ToString(), InstanceAction.Delete, LocalCloud.Admin);
        await AwaitAssertAsync(async () =>
        {
            var missing = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.Show(id.ToString(), LocalCloud.Admin));
            Assert.Equal(404, missing.Code);
        }, TimeSpan.FromSeconds(10));
        Assert.Empty(await cloud.Hypervisors["compute1"].ListAsync());
        await AwaitAssertAsync(async () => Assert.Equal(0, (await cloud.Nova.Hypervisors()).Single().Used.MemoryMb), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_spawn_failure_reschedules_the_build_to_another_host()
    {
        await using var cloud = await LocalCloud.Start(hosts: 2);
        // Equal hosts tie on free RAM and the weigher then prefers compute1: make its start fail.
        cloud.Hypervisors["compute1"].FailNext("start", "*", "qemu died");

        var id = (await cloud.Boot("vm")).Id;
        var active = await cloud.WaitForStatus(id, "ACTIVE");
        Assert.Equal("compute2", active.Host);
        Assert.Empty(await cloud.Hypervisors["compute1"].ListAsync());
    }

    [Fact]
    public async Task A_spawn_failing_on_every_host_ends_in_error_after_three_attempts()
    {
        await using var cloud = await LocalCloud.Start(hosts: 3);
        foreach (var hv in cloud.Hypervisors.Values) hv.FailNext("start", "*", "qemu died");

        var id = (await cloud.Boot("vm")).Id;
        var failed = await cloud.WaitForStatus(id, "ERROR");
        Assert.StartsWith("Exceeded maximum number of retries", failed.Fault!.Message);
        Assert.Contains("qemu died", failed.Fault.Details);
        Assert.Null(failed.Host);
    }

    [Fact]
    public async Task No_valid_host_is_an_error_fault_when_nothing_fits()
    {
        await using var cloud = await LocalCloud.Start(hosts: 2, memoryMb: 8192);
        // m1.xlarge asks 16384 MB; 8192 MB x 1.5 is 12288.
        var id = (await cloud.Boot("big", flavor: "m1.xlarge")).Id;
        var failed = await cloud.WaitForStatus(id, "ERROR");
        Assert.Equal("No valid host was found. ", failed.Fault!.Message);
        Assert.Equal(500, failed.Fault.Code);
    }

    [Fact]
    public async Task A_guest_that_powers_itself_off_makes_the_instance_stopped()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var id = (await cloud.Boot("vm")).Id;
        var active = await cloud.WaitForStatus(id, "ACTIVE");

        cloud.Hypervisors["compute1"].SimulateGuestPowerOff(active.Spec.InstanceName);
        var stopped = await cloud.WaitForStatus(id, "SHUTOFF");
        Assert.Equal(PowerState.Shutdown, stopped.PowerState);
    }

    [Fact]
    public async Task A_stale_copy_on_another_host_is_deleted_there_and_does_not_overwrite_the_instance()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var active = await cloud.WaitForStatus((await cloud.Boot("vm")).Id, "ACTIVE");

        // A host that died mid-spawn comes back and reports its own, failed, copy of the instance.
        var staleHost = CreateTestProbe(cloud.System);
        var stale = active with { Host = "compute9", VmState = VmState.Error, UpdatedAt = DateTimeOffset.UtcNow.AddMinutes(1) };
        cloud.Directory.Tell(new Domain.Messages.InstanceChanged(stale), staleHost.Ref);

        Assert.Equal(new Domain.Messages.InstanceCommand(active.Id, InstanceAction.Delete), staleHost.ExpectMsg<Domain.Messages.InstanceCommand>());
        var shown = (await cloud.Nova.Show(active.Id.ToString(), LocalCloud.Admin)).State;
        Assert.Equal(("compute1", "ACTIVE"), (shown.Host, shown.Status));
    }

    [Fact]
    public async Task Names_with_markup_characters_and_unicode_are_stored_exactly()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        const string name = "prueba-ñ-<b>&\"'-實例";
        var id = (await cloud.Boot(name)).Id;
        var active = await cloud.WaitForStatus(id, "ACTIVE");
        Assert.Equal(name, active.Spec.Name);
        Assert.Equal(id, (await cloud.Nova.Show(name, LocalCloud.Admin)).State.Id);
    }

    [Theory]
    [InlineData("cirros", "m1.tiny", "nokey", LocalCloud.Privada, "vm", 400, "key_name")]
    [InlineData("nope", "m1.tiny", null, LocalCloud.Privada, "vm", 400, "Image nope")]
    [InlineData("cirros", "m9.huge", null, LocalCloud.Privada, "vm", 400, "Flavor m9.huge")]
    [InlineData("cirros", "m1.tiny", null, "not-a-uuid", "vm", 400, "network uuid is not in proper format")]
    [InlineData("cirros", "m1.tiny", null, "11111111-2222-3333-4444-555555555555", "vm", 400, "Network 11111111")]
    [InlineData("cirros", "m1.tiny", null, LocalCloud.Privada, "", 400, "name")]
    [InlineData("cirros", "m1.tiny", null, LocalCloud.Privada, " padded", 400, "name")]
    public async Task Bad_boot_input_is_refused_naming_the_field_and_creates_nothing(
        string image, string flavor, string? key, string network, string name, int code, string mentions)
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var error = await Assert.ThrowsAsync<NovaException>(() =>
            cloud.Nova.Boot(new BootArguments(name, image, flavor, key, [network]), LocalCloud.Admin));
        Assert.Equal(code, error.Code);
        Assert.Contains(mentions, error.Message);
        Assert.Empty(await cloud.Nova.List(LocalCloud.Admin, allProjects: true));
    }

    [Fact]
    public async Task A_name_over_255_characters_is_refused()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var error = await Assert.ThrowsAsync<NovaException>(() => cloud.Boot(new string('x', 256)));
        Assert.Equal(400, error.Code);
        Assert.Contains("name", error.Message);
        Assert.Empty(await cloud.Nova.List(LocalCloud.Admin, allProjects: true));
    }

    [Fact]
    public async Task Actions_on_unknown_instances_are_not_found()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var error = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.Act("ghost", InstanceAction.Stop, LocalCloud.Admin));
        Assert.Equal(404, error.Code);
        Assert.Contains("ghost", error.Message);
    }

    [Fact]
    public async Task A_duplicate_key_pair_is_a_conflict()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        await cloud.Nova.AddKeyPair("miclave", null, LocalCloud.Admin);
        var error = await Assert.ThrowsAsync<NovaException>(() => cloud.Nova.AddKeyPair("miclave", null, LocalCloud.Admin));
        Assert.Equal(409, error.Code);
        Assert.Single(await cloud.Nova.KeyPairs(LocalCloud.Admin));
    }

    [Fact]
    public async Task The_console_log_shows_the_guests_boot_banner()
    {
        await using var cloud = await LocalCloud.Start(hosts: 1);
        var id = (await cloud.Boot("test2")).Id;
        await cloud.WaitForStatus(id, "ACTIVE");
        var log = await cloud.Nova.ConsoleLog("test2", null, LocalCloud.Admin);
        Assert.Contains($"instance-id: {id}", log);
        Assert.Contains("local-hostname: test2.novalocal", log);
    }
}
