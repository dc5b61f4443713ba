using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Compute.Console;

/// <summary>
/// Follows one guest's console.log (a child of its InstanceActor) as virtlogd writes and rotates it: keeps
/// the last 100 KiB for `console-log`, streams new text to followers, and tells its instance when the first
/// login prompt appears. Its read position is snapshotted as console-&lt;uuid&gt; (at most every few seconds,
/// and when it stops), so after a host restart it resumes where it was: what the guest wrote meanwhile is
/// read once, across a rotation too, and the kept tail is rebuilt from the file up to that position.
/// </summary>
public sealed class ConsoleTailer : ReceivePersistentActor, IWithTimers
{
    // Chunks cross remoting to the controller; JSON may escape a control character to 6 bytes, so this stays
    // well under Akka's default 128 000-byte frame even for escape-heavy console text.
    private const int ChunkChars = 16 * 1024;

    private readonly Guid _instanceId;
    private readonly string _path;
    private readonly ConsoleTailerSettings _settings;
    private readonly bool _loginPromptKnown;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ConsoleTail _tail;
    private readonly LoginPromptWatch _prompt = new();
    private readonly HashSet<IActorRef> _followers = [];
    private ConsoleTailPosition _position = ConsoleTailPosition.Start;
    private ConsoleTailPosition _saved = ConsoleTailPosition.Start;
    private bool _forgotten;

    public ConsoleTailer(Guid instanceId, string path, ConsoleTailerSettings settings, bool loginPromptKnown)
    {
        _instanceId = instanceId;
        _path = path;
        _settings = settings;
        _loginPromptKnown = loginPromptKnown;
        _tail = new ConsoleTail(settings.KeepBytes);

        Recover<SnapshotOffer>(s => _position = _saved = (ConsoleTailPosition)s.Snapshot);
        Recover<RecoveryCompleted>(_ => Resume());

        Command<PollConsoleLog>(_ => Poll());
        Command<SaveConsoleTailPosition>(_ => SavePosition());
        Command<GetConsoleOutput>(request =>
        {
            Poll();
            Sender.Tell(new ConsoleOutput(_instanceId, ConsoleTail.NovaTail(_tail.Text, request.Length)));
        });
        Command<FollowConsole>(Follow);
        Command<Terminated>(t => _followers.Remove(t.ActorRef));
        Command<ForgetConsole>(_ => Forget());
        Command<GetConsoleTailPosition>(_ => Sender.Tell(Current));
        Command<GetConsoleFollowers>(_ => Sender.Tell(_followers.Count));
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning("Saving the console position of {0} failed: {1}", _instanceId, f.Cause.Message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => $"console-{_instanceId}";

    /// <param name="loginPromptKnown">The instance already recorded its login prompt: none is reported again.</param>
    public static Props Props(Guid instanceId, string path, ConsoleTailerSettings settings, bool loginPromptKnown) =>
        Akka.Actor.Props.Create(() => new ConsoleTailer(instanceId, path, settings, loginPromptKnown));

    /// <summary>The position to save: a character cut at the end of the file is read again next time.</summary>
    private ConsoleTailPosition Current => _position with { Offset = Math.Max(0, _position.Offset - _tail.Pending) };

    private void Resume()
    {
        if (_loginPromptKnown) _position = _position with { LoginPromptSeen = true };
        RestoreTail();
        Poll();
        Timers.StartPeriodicTimer("poll", PollConsoleLog.Instance, _settings.PollInterval);
        Timers.StartPeriodicTimer("save", SaveConsoleTailPosition.Instance, _settings.SaveInterval);
    }

    protected override void PostStop()
    {
        // A host shutting down stops its instances: the position is saved as it is, not as of the last save.
        SavePosition();
        base.PostStop();
    }

    // ---- reading -----------------------------------------------------------------------------------------

    /// <summary>Rebuilds the kept tail from the bytes before the saved position, in whichever file now holds them.</summary>
    private void RestoreTail()
    {
        if (_position.Offset == 0) return;
        foreach (var path in new[] { _path, ConsoleLogFile.Rotated(_path) })
        {
            using var file = ConsoleLogFile.TryOpen(path);
            // A file that no longer holds everything up to the position was truncated: its start is read as new.
            if (file is null || !IsOurs(ConsoleLogFile.Identity(file), file.Length) || file.Length < _position.Offset) continue;
            var restored = new MemoryStream();
            var to = _position.Offset;
            ConsoleLogFile.Read(file, Math.Max(0, to - _settings.KeepBytes), to, bytes => restored.Write(bytes));
            _tail.Restore(restored.GetBuffer().AsSpan(0, (int)restored.Length));
            _prompt.ContinueAfter(_tail.Text);
            return;
        }
    }

    private void Poll()
    {
        try
        {
            ReadNewText();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Reading the console of {0} ({1}) failed: {2}", _instanceId, _path, e.Message);
        }
    }

    private void ReadNewText()
    {
        using var current = ConsoleLogFile.TryOpen(_path);
        if (current is null)
        {
            // Just rotated (the new file not created yet), or removed: what is left of ours is in console.log.0.
            if (_position.Offset > 0) FinishRotated();
            return;
        }
        var id = ConsoleLogFile.Identity(current);
        var length = current.Length;
        if (_position is { FileId: null, Offset: 0 }) _position = _position with { FileId = id };
        if (IsOurs(id, length))
        {
            if (length < _position.Offset)
            {
                _log.Info("The console of {0} was truncated; reading it again from its start", _instanceId);
                _tail.DropPending();
                _position = _position with { Offset = 0 };
            }
            ReadFrom(current, length);
            return;
        }
        // A different file: virtlogd rotated ours to console.log.0. Its rest comes first, then the new file.
        FinishRotated();
        _log.Info("The console of {0} was rotated; following the new {1}", _instanceId, Path.GetFileName(_path));
        _position = _position with { Offset = 0, FileId = id };
        ReadFrom(current, length);
    }

    /// <summary>Reads what is left of the file we were reading, now console.log.0 (if it is still there).</summary>
    private void FinishRotated()
    {
        using var rotated = ConsoleLogFile.TryOpen(ConsoleLogFile.Rotated(_path));
        if (rotated is not null && IsOurs(ConsoleLogFile.Identity(rotated), rotated.Length))
            ReadFrom(rotated, rotated.Length);
        else
            _tail.DropPending();
    }

    /// <summary>
    /// Whether a file is the one the position refers to: by identity where both are known, else by size
    /// (a file shorter than what was read of it cannot be it).
    /// </summary>
    private bool IsOurs(string? id, long length) =>
        id is not null && _position.FileId is not null ? id == _position.FileId : length >= _position.Offset;

    private void ReadFrom(FileStream file, long length)
    {
        if (length <= _position.Offset) return;
        var text = new StringBuilder();
        var read = ConsoleLogFile.Read(file, _position.Offset, length, bytes => text.Append(_tail.Append(bytes)));
        _position = _position with { Offset = _position.Offset + read };
        Arrived(text.ToString());
    }

    private void Arrived(string text)
    {
        if (text.Length == 0) return;
        if (_prompt.Scan(text) && !_position.LoginPromptSeen)
        {
            _position = _position with { LoginPromptSeen = true };
            _log.Info("Instance {0} shows its login prompt", _instanceId);
            Context.Parent.Tell(new LoginPromptAppeared(DateTimeOffset.UtcNow));
        }
        foreach (var follower in _followers) Send(follower, text);
    }

    // ---- followers and saving ----------------------------------------------------------------------------

    private void Follow(FollowConsole follow)
    {
        Poll();
        if (_followers.Add(follow.Subscriber)) Context.Watch(follow.Subscriber);
        // Sent even when empty: the follower learns that it follows, and whom to watch.
        var tail = ConsoleTail.LastLines(_tail.Text, follow.Length);
        if (tail.Length == 0) follow.Subscriber.Tell(new ConsoleChunk(_instanceId, ""));
        else Send(follow.Subscriber, tail);
    }

    private void Send(IActorRef follower, string text)
    {
        for (var start = 0; start < text.Length;)
        {
            var size = Math.Min(ChunkChars, text.Length - start);
            if (start + size < text.Length && char.IsHighSurrogate(text[start + size - 1])) size--;
            follower.Tell(new ConsoleChunk(_instanceId, text.Substring(start, size)));
            start += size;
        }
    }

    private void SavePosition()
    {
        if (_forgotten) return;
        var current = Current;
        if (current == _saved) return;
        SaveSnapshot(current);
        _saved = current;
    }

    /// <summary>The instance left this host: its followers are told, and nothing of the tailer stays behind.</summary>
    private void Forget()
    {
        _forgotten = true;
        foreach (var follower in _followers)
            follower.Tell(new ConsoleFollowEnded(_instanceId, $"Instance {_instanceId} was deleted."));
        // Only snapshots were saved (at sequence number 0), never events: there is no journal to delete.
        DeleteSnapshots(SnapshotSelectionCriteria.Latest);
        Context.Stop(Self);
    }
}
