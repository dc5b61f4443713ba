namespace Cloud.Actors.Domain.States;

/// <summary>Nova's power_state values (nova/compute/power_state.py), as the hypervisor reports them.</summary>
public static class PowerState
{
    public const int NoState = 0;
    public const int Running = 1;
    public const int Paused = 3;
    public const int Shutdown = 4;
    public const int Crashed = 6;
    public const int Suspended = 7;

    public static string Name(int state) => state switch
    {
        NoState => "NOSTATE",
        Running => "Running",
        Paused => "Paused",
        Shutdown => "Shutdown",
        Crashed => "Crashed",
        Suspended => "Suspended",
        _ => state.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
