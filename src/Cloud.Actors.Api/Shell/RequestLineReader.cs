using System.Buffers;
using System.Text;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// Reads newline-terminated UTF-8 lines from a socket without ever holding more than
/// one line's worth (at most the configured limit) of a client's bytes.
/// </summary>
internal sealed class RequestLineReader(Stream stream, int maxLineBytes)
{
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    /// <summary>The next line without its terminator, or <c>null</c> once the client has closed its side.</summary>
    /// <exception cref="RequestTooLargeException">The line grew past the limit before its newline arrived.</exception>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new ArrayBufferWriter<byte>();
        while (true)
        {
            if (_start < _end)
            {
                var available = _buffer.AsSpan(_start, _end - _start);
                var newline = available.IndexOf((byte)'\n');
                var take = newline >= 0 ? newline : available.Length;
                if (line.WrittenCount + take > maxLineBytes)
                    throw new RequestTooLargeException(maxLineBytes);
                line.Write(available[..take]);
                _start += newline >= 0 ? take + 1 : take;
                if (newline >= 0)
                    return Decode(line);
            }

            var read = await stream.ReadAsync(_buffer, ct);
            if (read == 0)
                return line.WrittenCount > 0 ? Decode(line) : null;
            _start = 0;
            _end = read;
        }
    }

    private static string Decode(ArrayBufferWriter<byte> line) =>
        Encoding.UTF8.GetString(line.WrittenSpan).TrimEnd('\r');
}
