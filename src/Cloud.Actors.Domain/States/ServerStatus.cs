namespace Cloud.Actors.Domain.States;

/// <summary>
/// The API's `status` of a server, derived from vm_state and task_state exactly as
/// nova/api/openstack/common.py's _STATE_MAP does.
/// </summary>
public static class ServerStatus
{
    public static string Of(string vmState, string? taskState) => vmState switch
    {
        VmState.Active or VmState.Stopped or VmState.Error when taskState is not null && TaskState.Rebuild.Contains(taskState) => "REBUILD",
        VmState.Building => "BUILD",
        VmState.Active => taskState switch
        {
            TaskState.Rebooting or TaskState.RebootPending or TaskState.RebootStarted => "REBOOT",
            TaskState.RebootingHard or TaskState.RebootPendingHard or TaskState.RebootStartedHard => "HARD_REBOOT",
            _ => "ACTIVE",
        },
        // Nova's map has no reboot entries for stopped: a hard reboot of a SHUTOFF server shows SHUTOFF until it is active.
        VmState.Stopped => "SHUTOFF",
        VmState.Paused => "PAUSED",
        VmState.Suspended => "SUSPENDED",
        VmState.Error => "ERROR",
        VmState.Deleted => "DELETED",
        _ => "UNKNOWN",
    };
}
