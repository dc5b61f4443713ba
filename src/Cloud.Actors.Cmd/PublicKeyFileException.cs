namespace Cloud.Actors.Cmd;

/// <summary>The file given to <c>--pub-key</c> could not be read on this machine.</summary>
internal sealed class PublicKeyFileException(string message, Exception inner) : Exception(message, inner);
