using System.Globalization;
using System.Text;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// A plain-text table in the exact shape python's prettytable gives novaclient
/// (<c>nova show</c>, <c>nova list</c>): <c>+---+</c> rules, a header row, left-aligned
/// cells padded by one space, multi-line cells spread over several lines.
/// Operators (and scripts written for the real nova) read these tables, so the
/// format is matched character for character rather than approximated.
/// </summary>
public sealed class TextTable
{
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] columns)
    {
        if (columns.Length == 0)
            throw new ArgumentException("a table needs at least one column", nameof(columns));
        Columns = columns;
    }

    public IReadOnlyList<string> Columns { get; }

    public int RowCount => _rows.Count;

    /// <summary>Adds a row; <c>null</c> renders as an empty cell, other values with the invariant culture.</summary>
    public TextTable AddRow(params object?[] cells)
    {
        if (cells.Length != Columns.Count)
            throw new ArgumentException(
                $"row has {cells.Length} cells but the table has {Columns.Count} columns", nameof(cells));
        _rows.Add(cells.Select(FormatCell).ToArray());
        return this;
    }

    /// <summary>The two-column <c>Property | Value</c> table of <c>nova show</c>, one row per pair, in the given order.</summary>
    public static TextTable PropertyValue(IEnumerable<KeyValuePair<string, object?>> properties)
    {
        var table = new TextTable("Property", "Value");
        foreach (var (property, value) in properties)
            table.AddRow(property, value);
        return table;
    }

    /// <summary>The table without a trailing newline, as prettytable's <c>get_string()</c>.</summary>
    public string Render()
    {
        var header = Columns.Select(SplitLines).ToArray();
        var body = _rows.Select(row => row.Select(SplitLines).ToArray()).ToList();

        var widths = new int[Columns.Count];
        foreach (var row in body.Prepend(header))
            for (var c = 0; c < widths.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Max(DisplayWidth));

        var rule = BuildRule(widths);
        var text = new StringBuilder();
        text.Append(rule).Append('\n');
        AppendRow(text, header, widths);
        text.Append(rule).Append('\n');
        foreach (var row in body)
            AppendRow(text, row, widths);
        text.Append(rule);
        return text.ToString();
    }

    public override string ToString() => Render();

    private static string BuildRule(int[] widths)
    {
        var rule = new StringBuilder("+");
        foreach (var width in widths)
            rule.Append('-', width + 2).Append('+');
        return rule.ToString();
    }

    private static void AppendRow(StringBuilder text, string[][] cells, int[] widths)
    {
        var height = cells.Max(lines => lines.Length);
        for (var line = 0; line < height; line++)
        {
            text.Append('|');
            for (var c = 0; c < widths.Length; c++)
            {
                var content = line < cells[c].Length ? cells[c][line] : "";
                text.Append(' ').Append(content).Append(' ', widths[c] - DisplayWidth(content)).Append(" |");
            }
            text.Append('\n');
        }
    }

    private static string FormatCell(object? value) =>
        value switch
        {
            null => "",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    private static string[] SplitLines(string cell) =>
        cell.Replace("\r\n", "\n").Split('\n');

    /// <summary>
    /// Terminal columns a string occupies: East Asian wide characters take two,
    /// combining marks none, as prettytable's <c>_str_block_width</c> does, so
    /// non-ASCII instance names do not break the borders.
    /// </summary>
    public static int DisplayWidth(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
            width += RuneWidth(rune);
        return width;
    }

    private static int RuneWidth(Rune rune)
    {
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.Format:
            case UnicodeCategory.Control:
                return 0;
        }
        return IsWide(rune.Value) ? 2 : 1;
    }

    private static bool IsWide(int cp) =>
        cp is >= 0x1100 and <= 0x115F       // Hangul Jamo
            or >= 0x2E80 and <= 0x303E      // CJK radicals, punctuation
            or >= 0x3041 and <= 0x33FF      // kana, CJK compatibility
            or >= 0x3400 and <= 0x4DBF      // CJK extension A
            or >= 0x4E00 and <= 0x9FFF      // CJK unified ideographs
            or >= 0xA000 and <= 0xA4CF      // Yi
            or >= 0xAC00 and <= 0xD7A3      // Hangul syllables
            or >= 0xF900 and <= 0xFAFF      // CJK compatibility ideographs
            or >= 0xFE30 and <= 0xFE4F      // CJK compatibility forms
            or >= 0xFF00 and <= 0xFF60      // fullwidth forms
            or >= 0xFFE0 and <= 0xFFE6
            or >= 0x1F300 and <= 0x1F64F    // pictographs, emoticons
            or >= 0x1F900 and <= 0x1F9FF
            or >= 0x20000 and <= 0x3FFFD;   // CJK extensions B..
}
