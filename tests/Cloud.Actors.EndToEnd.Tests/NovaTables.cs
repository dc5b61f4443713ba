namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// Reads the <c>+----+</c> tables the nova palette prints: cells are separated by '|',
/// padded with spaces; the first '|' line of a table is its header.
/// </summary>
public static class NovaTables
{
    /// <summary>The rows of the first table in <paramref name="text"/>, each keyed by the header's column names.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Rows(string text)
    {
        string[]? header = null;
        var rows = new List<IReadOnlyDictionary<string, string>>();
        var inTable = false;
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith('+'))
            {
                inTable = true;
                continue;
            }
            if (!line.StartsWith('|'))
            {
                if (inTable)
                    break; // the first table ended (e.g. boot --poll's progress lines follow it)
                continue;
            }
            inTable = true;
            var cells = Cells(line);
            if (header is null)
            {
                header = cells;
                continue;
            }
            if (cells.Length != header.Length)
                throw new FormatException($"table row has {cells.Length} cells, its header {header.Length}: {line}");
            rows.Add(header.Zip(cells).ToDictionary(pair => pair.First, pair => pair.Second));
        }
        if (header is null)
            throw new FormatException($"no table in:\n{text}");
        return rows;
    }

    /// <summary>A <c>Property | Value</c> table (nova show, nova boot) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Properties(string text) =>
        Rows(text).ToDictionary(row => row["Property"], row => row["Value"]);

    private static string[] Cells(string line) =>
        line.Split('|')[1..^1].Select(cell => cell.Trim(' ')).ToArray();
}
