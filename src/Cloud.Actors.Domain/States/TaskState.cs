namespace Cloud.Actors.Domain.States;

/// <summary>Nova's task_state values (nova/compute/task_states.py): what is happening right now; null when idle.</summary>
public static class TaskState
{
    public const string Scheduling = "scheduling";
    public const string Networking = "networking";
    public const string BlockDeviceMapping = "block_device_mapping";
    public const string Spawning = "spawning";
    public const string PoweringOff = "powering-off";
    public const string PoweringOn = "powering-on";
    public const string Rebooting = "rebooting";
    public const string RebootPending = "reboot_pending";
    public const string RebootStarted = "reboot_started";
    public const string RebootingHard = "rebooting_hard";
    public const string RebootPendingHard = "reboot_pending_hard";
    public const string RebootStartedHard = "reboot_started_hard";
    public const string Deleting = "deleting";
    public const string Pausing = "pausing";
    public const string Unpausing = "unpausing";
    public const string Suspending = "suspending";
    public const string Resuming = "resuming";
    public const string Rebuilding = "rebuilding";
    public const string RebuildBlockDeviceMapping = "rebuild_block_device_mapping";
    public const string RebuildSpawning = "rebuild_spawning";

    public static readonly IReadOnlySet<string> Building =
        new HashSet<string> { Scheduling, Networking, BlockDeviceMapping, Spawning };

    public static readonly IReadOnlySet<string> SoftReboot =
        new HashSet<string> { Rebooting, RebootPending, RebootStarted };

    public static readonly IReadOnlySet<string> Rebuild =
        new HashSet<string> { Rebuilding, RebuildBlockDeviceMapping, RebuildSpawning };

    public static readonly IReadOnlySet<string> HardReboot =
        new HashSet<string> { RebootingHard, RebootPendingHard, RebootStartedHard };
}
