namespace Cloud.Actors.Api.Application;

/// <summary>A refused request, with Nova's HTTP code (400 bad input, 404 unknown, 409 conflict) and its message.</summary>
public sealed class NovaException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
