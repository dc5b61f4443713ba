namespace Cloud.Actors.Domain.States;

/// <summary>Nova's vm_state values (nova/compute/vm_states.py): the stable state an instance rests in.</summary>
public static class VmState
{
    public const string Building = "building";
    public const string Active = "active";
    public const string Stopped = "stopped";
    public const string Paused = "paused";
    public const string Suspended = "suspended";
    public const string Error = "error";
    public const string Deleted = "deleted";

    /// <summary>States from which a soft reboot is allowed (ALLOW_SOFT_REBOOT).</summary>
    public static readonly IReadOnlySet<string> AllowSoftReboot = new HashSet<string> { Active };

    /// <summary>States from which a hard reboot is allowed (ALLOW_HARD_REBOOT).</summary>
    public static readonly IReadOnlySet<string> AllowHardReboot =
        new HashSet<string> { Active, Stopped, Paused, Suspended, Error };
}
