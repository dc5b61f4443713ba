using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Domain.Tests;

/// <summary>What a restarted compute host does with an instance, after Nova's ComputeManager._init_instance.</summary>
public class RecoveryStepSpecs
{
    [Theory]
    [InlineData("building", "scheduling")]
    [InlineData("building", "networking")]
    [InlineData("building", "block_device_mapping")]
    [InlineData("building", "spawning")]
    [InlineData("building", null)]
    [InlineData("active", "spawning")]
    [InlineData("active", "rebuilding")]
    [InlineData("stopped", "rebuild_spawning")]
    [InlineData("error", "rebuild_block_device_mapping")]
    public void Interrupted_build_or_rebuild_is_marked_error(string vmState, string? taskState)
    {
        Assert.Equal(RecoveryStep.MarkError, Given.Instance(vmState, taskState).RecoveryStep());
    }

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    [InlineData("building")]
    public void Interrupted_delete_is_finished(string vmState)
    {
        Assert.Equal(RecoveryStep.FinishDelete, Given.Instance(vmState, TaskState.Deleting).RecoveryStep());
    }

    [Theory]
    [InlineData("active", "rebooting")]
    [InlineData("active", "reboot_pending")]
    [InlineData("active", "reboot_started")]
    [InlineData("active", "rebooting_hard")]
    [InlineData("active", "reboot_pending_hard")]
    [InlineData("active", "reboot_started_hard")]
    [InlineData("stopped", "rebooting_hard")]
    [InlineData("error", "rebooting_hard")]
    public void Interrupted_reboot_becomes_a_hard_reboot(string vmState, string? taskState)
    {
        Assert.Equal(RecoveryStep.HardReboot, Given.Instance(vmState, taskState).RecoveryStep());
    }

    [Theory]
    [InlineData("active")]
    [InlineData("error")]
    public void Interrupted_power_off_is_retried(string vmState)
    {
        Assert.Equal(RecoveryStep.RetryStop, Given.Instance(vmState, TaskState.PoweringOff).RecoveryStep());
    }

    [Fact]
    public void Interrupted_power_on_is_retried()
    {
        Assert.Equal(RecoveryStep.RetryStart, Given.Instance(VmState.Stopped, TaskState.PoweringOn).RecoveryStep());
    }

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("paused")]
    [InlineData("suspended")]
    [InlineData("error")]
    [InlineData("deleted")]
    public void Idle_instance_needs_nothing(string vmState)
    {
        Assert.Equal(RecoveryStep.None, Given.Instance(vmState, null).RecoveryStep());
    }

    [Fact]
    public void Unknown_transitional_task_is_cleared()
    {
        Assert.Equal(RecoveryStep.ClearTask, Given.Instance(VmState.Active, "image_snapshot").RecoveryStep());
    }
}
