using System.Text.RegularExpressions;

namespace Cloud.Actors.Cmd;

/// <summary>Where a node's management shell listens, written <c>HOST:PORT</c>.</summary>
internal sealed partial record ShellEndpoint(string Host, int Port)
{
    public const string EnvironmentVariable = "CLOUD_ACTORS_SHELL";

    public static readonly ShellEndpoint Default = new("127.0.0.1", 9110);

    public override string ToString() => $"{Host}:{Port}";

    public static bool TryParse(string text, out ShellEndpoint endpoint)
    {
        endpoint = Default;
        var match = HostAndPort().Match(text);
        if (!match.Success || !int.TryParse(match.Groups["port"].Value, out var port) || port is < 1 or > 65535)
            return false;
        endpoint = new ShellEndpoint(match.Groups["host"].Value.Trim('[', ']'), port);
        return true;
    }

    /// <summary>
    /// Splits the command line into the endpoint and the words for the shell: a leading
    /// <c>HOST:PORT</c> wins, then <see cref="EnvironmentVariable"/>, then <see cref="Default"/>.
    /// </summary>
    /// <exception cref="FormatException">The environment variable is set but is not HOST:PORT.</exception>
    public static (ShellEndpoint Endpoint, IReadOnlyList<string> Words) FromArguments(
        IReadOnlyList<string> args, string? environmentValue)
    {
        if (args.Count > 0 && TryParse(args[0], out var explicitEndpoint))
            return (explicitEndpoint, args.Skip(1).ToArray());
        if (string.IsNullOrWhiteSpace(environmentValue))
            return (Default, args);
        if (!TryParse(environmentValue.Trim(), out var configured))
            throw new FormatException($"{EnvironmentVariable}='{environmentValue}' is not HOST:PORT");
        return (configured, args);
    }

    // A palette name never contains ':', so "word:digits" can only be an endpoint.
    [GeneratedRegex(@"^(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?<port>[0-9]{1,5})$")]
    private static partial Regex HostAndPort();
}
