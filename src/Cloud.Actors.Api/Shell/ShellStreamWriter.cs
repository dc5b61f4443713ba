using System.Text;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// The <see cref="TextWriter"/> a command writes to; every write becomes one
/// <c>{"out":…}</c> or <c>{"err":…}</c> frame at once, so a long-running command
/// (a console tail, a boot that reports each step) shows its output live.
/// Single characters are the exception: they are gathered up to a newline or a flush.
/// </summary>
internal sealed class ShellStreamWriter(ShellFrameSink sink, string kind) : TextWriter
{
    private readonly StringBuilder _pending = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        string? line = null;
        lock (_pending)
        {
            _pending.Append(value);
            if (value == '\n')
                line = TakePending();
        }
        if (line is not null)
            sink.Send(ShellFrames.Text(kind, line));
    }

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
            sink.Send(ShellFrames.Text(kind, WithPending(value)));
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override Task WriteAsync(string? value) =>
        string.IsNullOrEmpty(value) ? Task.CompletedTask : sink.SendAsync(ShellFrames.Text(kind, WithPending(value)));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        WriteAsync(new string(buffer.Span));

    public override Task WriteLineAsync(string? value) => WriteAsync(value + NewLine);

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        WriteAsync(string.Concat(buffer.Span, NewLine));

    public override void Flush()
    {
        var pending = TakePendingLocked();
        if (pending.Length > 0)
            sink.Send(ShellFrames.Text(kind, pending));
    }

    public override Task FlushAsync()
    {
        var pending = TakePendingLocked();
        return pending.Length > 0 ? sink.SendAsync(ShellFrames.Text(kind, pending)) : Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => FlushAsync();

    private string WithPending(string value)
    {
        lock (_pending)
        {
            if (_pending.Length == 0)
                return value;
            return TakePending() + value;
        }
    }

    private string TakePendingLocked()
    {
        lock (_pending)
            return TakePending();
    }

    private string TakePending()
    {
        var text = _pending.ToString();
        _pending.Clear();
        return text;
    }
}
