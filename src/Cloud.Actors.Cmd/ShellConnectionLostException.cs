namespace Cloud.Actors.Cmd;

/// <summary>The shell closed the connection, or sent something that is not the protocol, before a command's exit code.</summary>
internal sealed class ShellConnectionLostException(string message) : Exception(message);
