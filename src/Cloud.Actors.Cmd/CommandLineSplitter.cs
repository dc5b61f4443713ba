using System.Text;

namespace Cloud.Actors.Cmd;

/// <summary>
/// Splits a line typed at the interactive prompt into words the way a POSIX shell
/// would: whitespace separates, '…' is literal, "…" allows \" and \\, a backslash
/// outside quotes escapes the next character. <c>--name "my server"</c> stays one word.
/// </summary>
internal static class CommandLineSplitter
{
    /// <exception cref="FormatException">A quote is never closed.</exception>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';

        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote == '\'')
            {
                if (c == '\'')
                    quote = '\0';
                else
                    word.Append(c);
            }
            else if (quote == '"')
            {
                if (c == '"')
                    quote = '\0';
                else if (c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                    word.Append(line[++i]);
                else
                    word.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"')
                    quote = c;
                else if (c == '\\' && i + 1 < line.Length)
                    word.Append(line[++i]);
                else
                    word.Append(c);
            }
        }

        if (quote != '\0')
            throw new FormatException($"unterminated {quote} quote");
        if (inWord)
            words.Add(word.ToString());
        return words;
    }
}
