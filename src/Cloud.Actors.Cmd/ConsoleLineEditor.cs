using System.Text;

namespace Cloud.Actors.Cmd;

/// <summary>
/// A deliberately small line editor for the interactive prompt: typing, backspace,
/// Tab completion, Up/Down history, Ctrl+U to clear, Ctrl+D to leave. Only used on a real terminal;
/// redirected input is read line by line.
/// </summary>
internal sealed class ConsoleLineEditor(string prompt, ShellCompletion completion)
{
    private readonly List<string> _history = [];

    /// <summary>The next line, or <c>null</c> at end of input.</summary>
    public string? ReadLine()
    {
        if (Console.IsInputRedirected)
            return Console.ReadLine();

        Console.Write(prompt);
        var line = new StringBuilder();
        var historyIndex = _history.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    var text = line.ToString();
                    if (!string.IsNullOrWhiteSpace(text) && (_history.Count == 0 || _history[^1] != text))
                        _history.Add(text);
                    return text;
                case ConsoleKey.Backspace:
                    if (line.Length > 0)
                    {
                        line.Length--;
                        Console.Write("\b \b");
                    }
                    break;
                case ConsoleKey.Tab:
                    Complete(line);
                    break;
                case ConsoleKey.UpArrow when historyIndex > 0:
                    Replace(line, _history[--historyIndex]);
                    break;
                case ConsoleKey.DownArrow when historyIndex < _history.Count:
                    historyIndex++;
                    Replace(line, historyIndex < _history.Count ? _history[historyIndex] : "");
                    break;
                case ConsoleKey.U when key.Modifiers.HasFlag(ConsoleModifiers.Control):
                    Replace(line, "");
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control):
                    if (line.Length == 0)
                    {
                        Console.WriteLine();
                        return null;
                    }
                    break;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        line.Append(key.KeyChar);
                        Console.Write(key.KeyChar);
                    }
                    break;
            }
        }
    }

    private void Complete(StringBuilder line)
    {
        var current = line.ToString();
        var addition = completion.Completion(current);
        if (addition.Length > 0)
        {
            line.Append(addition);
            Console.Write(addition);
            return;
        }

        var candidates = completion.Candidates(current);
        if (candidates.Count > 1)
        {
            Console.WriteLine();
            Console.WriteLine(string.Join("  ", candidates));
            Console.Write(prompt + current);
        }
    }

    private void Replace(StringBuilder line, string text)
    {
        var erase = Math.Max(0, line.Length - text.Length);
        Console.Write("\r" + prompt + text + new string(' ', erase) + "\r" + prompt + text);
        line.Clear().Append(text);
    }
}
