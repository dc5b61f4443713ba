using System.Text.Json;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// One line a shell client sends: <c>{"args":["nova","show","x"]}</c> runs a command,
/// <c>{"complete":true}</c> asks for the palette and command names.
/// </summary>
internal sealed record ShellRequest(IReadOnlyList<string> Args, bool Complete)
{
    private const string Expected = """a request is {"args":["palette","command",...]} or {"complete":true}""";

    /// <exception cref="FormatException">The line is not one of the two request shapes.</exception>
    public static ShellRequest Parse(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"malformed request ({ex.Message}); {Expected}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException(Expected);
            if (root.TryGetProperty("complete", out var complete) && complete.ValueKind == JsonValueKind.True)
                return new ShellRequest([], Complete: true);
            if (!root.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Array)
                throw new FormatException(Expected);

            var words = new List<string>(args.GetArrayLength());
            foreach (var arg in args.EnumerateArray())
            {
                if (arg.ValueKind != JsonValueKind.String)
                    throw new FormatException($"every argument must be a string; {Expected}");
                words.Add(arg.GetString()!);
            }
            return new ShellRequest(words, Complete: false);
        }
    }
}
