namespace Cloud.Actors.Compute.Console;

/// <summary>
/// Spots a login prompt in console text as it arrives: a line ending in "login:" (getty's "test2 login: ",
/// which waits for input, so it is the last thing written and has no newline yet) or cirros's banner
/// "login as 'cirros' user". The line being written is carried between chunks, since a prompt may arrive
/// in pieces.
/// </summary>
internal sealed class LoginPromptWatch
{
    // A line longer than this is not a prompt; only its end matters for "login:".
    private const int LineLimit = 512;
    private string _line = "";

    /// <summary>True when <paramref name="text"/> completes a login prompt.</summary>
    public bool Scan(string text)
    {
        var seen = false;
        var start = 0;
        for (var newline = text.IndexOf('\n'); newline >= 0; newline = text.IndexOf('\n', start))
        {
            seen |= IsPrompt(_line + text[start..newline]);
            _line = "";
            start = newline + 1;
        }
        _line = Limit(_line + text[start..]);
        return seen || IsPrompt(_line);
    }

    /// <summary>Continues after text already seen (a restart): its unfinished last line is carried.</summary>
    public void ContinueAfter(string text) => _line = Limit(text[(text.LastIndexOf('\n') + 1)..]);

    public static bool IsPrompt(string line)
    {
        if (line.Contains("login as '", StringComparison.Ordinal)) return true;
        var trimmed = line.TrimEnd();
        // "Last login: ..." is sshd's/login's greeting after a login, not a prompt.
        return trimmed.EndsWith("login:", StringComparison.Ordinal)
               && !trimmed.TrimStart().StartsWith("Last login", StringComparison.OrdinalIgnoreCase);
    }

    private static string Limit(string line) => line.Length <= LineLimit ? line : line[^LineLimit..];
}
