using System.Text;

namespace Cloud.Actors.Compute.Console;

/// <summary>
/// The last bytes of a guest's console, as Nova's get_console_output returns them (at most MAX_CONSOLE_BYTES).
/// Bytes come from the file in arbitrary reads, so a UTF-8 character may be cut between two of them: the cut
/// bytes wait here for the rest instead of being decoded into replacement characters.
/// </summary>
internal sealed class ConsoleTail(int keepBytes)
{
    private readonly byte[] _kept = new byte[keepBytes];
    private int _keptLength;
    private byte[] _pending = [];

    /// <summary>Bytes read but not yet decoded: the start of a character whose rest has not been written yet.</summary>
    public int Pending => _pending.Length;

    /// <summary>The kept text, oldest first.</summary>
    public string Text => Encoding.UTF8.GetString(_kept, 0, _keptLength);

    /// <summary>Adds bytes just read and returns the text they complete (empty when they only start a character).</summary>
    public string Append(ReadOnlySpan<byte> read)
    {
        ReadOnlySpan<byte> bytes = read;
        if (_pending.Length > 0)
        {
            var joined = new byte[_pending.Length + read.Length];
            _pending.CopyTo(joined, 0);
            read.CopyTo(joined.AsSpan(_pending.Length));
            bytes = joined;
        }
        var complete = CompleteLength(bytes);
        _pending = bytes[complete..].ToArray();
        Keep(bytes[..complete]);
        return Encoding.UTF8.GetString(bytes[..complete]);
    }

    /// <summary>Starts over from bytes already read before (a restart rebuilding its tail from the file).</summary>
    public void Restore(ReadOnlySpan<byte> read)
    {
        _keptLength = 0;
        _pending = [];
        Keep(read[..CompleteLength(read)]);
    }

    /// <summary>Forgets a cut character whose rest will never come (its file is gone).</summary>
    public void DropPending() => _pending = [];

    /// <summary>
    /// The tail of <paramref name="text"/> that `nova console-log --length N` shows (all of it when null or negative):
    /// the last N pieces between newlines, as Nova's _tail_log cuts it, so the answer split at its newlines has N
    /// pieces (Tempest counts them). Text ending in a newline has an empty last piece, which counts.
    /// </summary>
    public static string NovaTail(string text, int? lines)
    {
        if (lines is not { } n || n < 0) return text;
        return n == 0 ? "" : string.Join('\n', text.Split('\n').TakeLast(n));
    }

    /// <summary>The last <paramref name="lines"/> whole lines of <paramref name="text"/> (all of it when null), as `tail -n`: where a follow starts.</summary>
    public static string LastLines(string text, int? lines)
    {
        if (lines is not { } n || n < 0) return text;
        return string.Join('\n', text.Split('\n').TakeLast(n + (text.EndsWith('\n') ? 1 : 0)));
    }

    /// <summary>How many of <paramref name="bytes"/> form whole UTF-8 characters; the rest is a character cut short.</summary>
    public static int CompleteLength(ReadOnlySpan<byte> bytes)
    {
        for (var i = bytes.Length - 1; i >= Math.Max(0, bytes.Length - 4); i--)
        {
            var b = bytes[i];
            if (b < 0x80) return bytes.Length;
            if ((b & 0xC0) == 0x80) continue;
            var size = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return bytes.Length - i >= size ? bytes.Length : i;
        }
        // Nothing but continuation bytes: not UTF-8 that waiting would fix; decode it as it is.
        return bytes.Length;
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= _kept.Length)
        {
            bytes[^_kept.Length..].CopyTo(_kept);
            _keptLength = _kept.Length;
        }
        else
        {
            var overflow = _keptLength + bytes.Length - _kept.Length;
            if (overflow > 0)
            {
                _kept.AsSpan(overflow, _keptLength - overflow).CopyTo(_kept);
                _keptLength -= overflow;
            }
            bytes.CopyTo(_kept.AsSpan(_keptLength));
            _keptLength += bytes.Length;
        }
        // Dropping the oldest bytes may have cut a character: its remaining continuation bytes go too.
        var cut = 0;
        while (cut < _keptLength && cut < 3 && (_kept[cut] & 0xC0) == 0x80) cut++;
        if (cut == 0) return;
        _kept.AsSpan(cut, _keptLength - cut).CopyTo(_kept);
        _keptLength -= cut;
    }
}
