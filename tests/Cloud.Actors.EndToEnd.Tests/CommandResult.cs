namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>How one <c>cluster.sh</c> process ended: its exit code and everything it printed.</summary>
public sealed record CommandResult(
    IReadOnlyList<string> Arguments, int ExitCode, string Output, string Error, TimeSpan Duration)
{
    public string CommandLine => "./cluster.sh " + string.Join(' ', Arguments.Select(Quote));

    public override string ToString() =>
        $"""
        {CommandLine}
          exit {ExitCode} after {Duration.TotalSeconds:0.0}s
          stdout: {Indent(Output)}
          stderr: {Indent(Error)}
        """;

    private static string Indent(string text) =>
        text.Length == 0 ? "(empty)" : "\n    " + text.TrimEnd('\n').Replace("\n", "\n    ");

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_=./:,".Contains(c))
            ? arg
            : "'" + arg.Replace("'", "'\\''") + "'";
}
