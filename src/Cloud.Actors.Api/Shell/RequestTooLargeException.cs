namespace Cloud.Actors.Api.Shell;

/// <summary>A client sent a request line longer than <see cref="ShellOptions.MaxRequestBytes"/>.</summary>
internal sealed class RequestTooLargeException(int limit)
    : Exception($"request line exceeds {limit} bytes; closing the connection");
