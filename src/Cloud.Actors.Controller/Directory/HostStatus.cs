namespace Cloud.Actors.Controller.Directory;

/// <summary>Nova's host_status of a server (2.16+): whether the directory can reach the instance's host.</summary>
public static class HostStatus
{
    public const string Up = "UP";
    public const string Down = "DOWN";
    public const string Unknown = "UNKNOWN";
    public const string None = "";
}
