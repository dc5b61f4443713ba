namespace Cloud.Actors.Domain.Instances;

/// <summary>A user action on an existing instance, checked by <see cref="InstanceState.Decide"/>.</summary>
public enum InstanceAction
{
    Stop,
    Start,
    Reboot,
    RebootHard,
    Delete,
    Pause,
    Unpause,
    Suspend,
    Resume,
    Rebuild,
}

public static class InstanceActionNames
{
    /// <summary>The name Nova uses in its conflict message ("Cannot 'stop' instance ...").</summary>
    public static string ApiName(this InstanceAction action) => action switch
    {
        InstanceAction.Stop => "stop",
        InstanceAction.Start => "start",
        InstanceAction.Reboot or InstanceAction.RebootHard => "reboot",
        InstanceAction.Delete => "delete",
        _ => action.ToString().ToLowerInvariant(),
    };
}

/// <summary>The outcome of deciding an action: the task to start, or why it is refused (a conflict).</summary>
public sealed record Decision(TaskStarted? Event, string? Conflict, bool AlreadyInProgress = false)
{
    public bool Accepted => Conflict is null;
    public static Decision Start(string task, DateTimeOffset at) => new(new TaskStarted(task, at), null);
    public static Decision Refuse(string message) => new(null, message);
    public static readonly Decision Idempotent = new(null, null, AlreadyInProgress: true);
}
