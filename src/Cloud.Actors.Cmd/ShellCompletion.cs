namespace Cloud.Actors.Cmd;

/// <summary>
/// Tab completion for the interactive prompt: the first word from the palettes the
/// node reported, the second from that palette's commands.
/// </summary>
internal sealed class ShellCompletion(IReadOnlyDictionary<string, string[]> palettes)
{
    private static readonly string[] PromptWords = ["help", "exit", "quit"];

    /// <summary>Every word that could complete the last (partial) word of <paramref name="line"/>.</summary>
    public IReadOnlyList<string> Candidates(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var startsNewWord = line.Length == 0 || char.IsWhiteSpace(line[^1]);
        var partial = startsNewWord ? "" : words[^1];
        var before = startsNewWord ? words : words[..^1];

        IEnumerable<string> options = before switch
        {
            [] => palettes.Keys.Concat(PromptWords),
            ["help"] => palettes.Keys,
            [var palette] when palettes.TryGetValue(palette, out var commands) => commands,
            _ => [],
        };
        return options
            .Where(o => o.StartsWith(partial, StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>What can be typed for the user: the candidates' longest common prefix beyond the partial word.</summary>
    public string Completion(string line)
    {
        var candidates = Candidates(line);
        if (candidates.Count == 0)
            return "";
        var partialLength = line.Length == 0 || char.IsWhiteSpace(line[^1])
            ? 0
            : line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].Length;
        var prefix = candidates.Aggregate(CommonPrefix);
        var completion = prefix[partialLength..];
        return candidates.Count == 1 ? completion + " " : completion;
    }

    private static string CommonPrefix(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
            length++;
        return a[..length];
    }
}
