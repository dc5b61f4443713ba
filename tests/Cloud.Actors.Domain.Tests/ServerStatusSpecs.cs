using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Domain.Tests;

/// <summary>The API status, as nova/api/openstack/common.py's _STATE_MAP derives it.</summary>
public class ServerStatusSpecs
{
    [Theory]
    [InlineData("building", null, "BUILD")]
    [InlineData("building", "scheduling", "BUILD")]
    [InlineData("building", "networking", "BUILD")]
    [InlineData("building", "block_device_mapping", "BUILD")]
    [InlineData("building", "spawning", "BUILD")]
    [InlineData("building", "deleting", "BUILD")]
    [InlineData("active", null, "ACTIVE")]
    [InlineData("active", "powering-off", "ACTIVE")]
    [InlineData("active", "deleting", "ACTIVE")]
    [InlineData("active", "rebooting", "REBOOT")]
    [InlineData("active", "reboot_pending", "REBOOT")]
    [InlineData("active", "reboot_started", "REBOOT")]
    [InlineData("active", "rebooting_hard", "HARD_REBOOT")]
    [InlineData("active", "reboot_pending_hard", "HARD_REBOOT")]
    [InlineData("active", "reboot_started_hard", "HARD_REBOOT")]
    [InlineData("active", "rebuilding", "REBUILD")]
    [InlineData("active", "rebuild_block_device_mapping", "REBUILD")]
    [InlineData("active", "rebuild_spawning", "REBUILD")]
    [InlineData("stopped", "rebuilding", "REBUILD")]
    [InlineData("error", "rebuild_spawning", "REBUILD")]
    [InlineData("stopped", null, "SHUTOFF")]
    [InlineData("stopped", "powering-on", "SHUTOFF")]
    [InlineData("stopped", "rebooting_hard", "SHUTOFF")]
    [InlineData("stopped", "reboot_started_hard", "SHUTOFF")]
    [InlineData("paused", null, "PAUSED")]
    [InlineData("suspended", null, "SUSPENDED")]
    [InlineData("error", null, "ERROR")]
    [InlineData("error", "rebooting_hard", "ERROR")]
    [InlineData("error", "deleting", "ERROR")]
    [InlineData("deleted", null, "DELETED")]
    [InlineData("soft-delete-not-modelled", null, "UNKNOWN")]
    public void Status_follows_novas_state_map(string vmState, string? taskState, string expected)
    {
        Assert.Equal(expected, ServerStatus.Of(vmState, taskState));
    }
}
