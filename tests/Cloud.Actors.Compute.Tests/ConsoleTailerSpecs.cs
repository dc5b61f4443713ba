using System.Text;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.TestKit;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Serialization;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>A console tailer over a real console.log in a temp directory, written and rotated as virtlogd does.</summary>
public sealed class ConsoleTailerSpecs : CloudSpec, IDisposable
{
    private static readonly ConsoleTailerSettings Fast = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(50),
        SaveInterval = TimeSpan.FromMilliseconds(100),
    };

    private readonly Guid _id = Guid.NewGuid();
    private readonly string _dir = Directory.CreateTempSubdirectory("console-tailer-").FullName;
    private readonly TestProbe _instance;

    public ConsoleTailerSpecs(ITestOutputHelper output) : base(output) => _instance = CreateTestProbe();

    private string LogFile => Path.Combine(_dir, "console.log");

    private IActorRef StartTailer(bool loginPromptKnown = false) =>
        _instance.ChildActorOf(ConsoleTailer.Props(_id, LogFile, Fast, loginPromptKnown));

    private void Write(string text) => File.AppendAllText(LogFile, text);

    private void Write(byte[] bytes)
    {
        using var file = new FileStream(LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        file.Write(bytes);
    }

    /// <summary>`console-log`: the tailer reads what is new before it answers.</summary>
    private string ConsoleLog(IActorRef tailer, int? length = null)
    {
        tailer.Tell(new GetConsoleOutput(_id, length));
        return ExpectMsg<ConsoleOutput>().Text;
    }

    private ConsoleTailPosition Position(IActorRef tailer)
    {
        tailer.Tell(GetConsoleTailPosition.Instance);
        return ExpectMsg<ConsoleTailPosition>();
    }

    /// <summary>Chunks a follower receives until they add up to <paramref name="expected"/>.</summary>
    private static string Receive(TestProbe follower, string expected)
    {
        var received = new StringBuilder();
        while (received.Length < expected.Length)
            received.Append(follower.ExpectMsg<ConsoleChunk>(TimeSpan.FromSeconds(3)).Text);
        return received.ToString();
    }

    private void StopGracefully(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }

    [Fact]
    public void Follows_text_appended_to_console_log()
    {
        Write("SeaBIOS (version 1.16.2)\n");
        var tailer = StartTailer();
        Assert.Equal("SeaBIOS (version 1.16.2)\n", ConsoleLog(tailer));

        var follower = CreateTestProbe();
        tailer.Tell(new FollowConsole(_id, null, follower.Ref));
        Assert.Equal("SeaBIOS (version 1.16.2)\n", follower.ExpectMsg<ConsoleChunk>().Text);

        Write("Booting from Hard Disk...\n");
        Assert.Equal("Booting from Hard Disk...\n", Receive(follower, "Booting from Hard Disk...\n"));
        Assert.Equal("SeaBIOS (version 1.16.2)\nBooting from Hard Disk...\n", ConsoleLog(tailer));
        Assert.Equal("Booting from Hard Disk...\n", ConsoleLog(tailer, length: 2));
        Assert.Equal("", ConsoleLog(tailer, length: 1));
    }

    [Fact]
    public void Waits_for_a_console_log_that_does_not_exist_yet()
    {
        var tailer = StartTailer();
        Assert.Equal("", ConsoleLog(tailer));

        Write("late\n");

        Assert.Equal("late\n", ConsoleLog(tailer));
    }

    [Fact]
    public void Keeps_only_the_last_100_KiB()
    {
        var tailer = StartTailer();
        var content = string.Concat(Enumerable.Range(0, 6000).Select(i => $"line {i:D5} of the boot log\n"));
        Write(content);

        var output = ConsoleLog(tailer);

        Assert.Equal(100 * 1024, Encoding.UTF8.GetByteCount(output));
        Assert.Equal(content[^(100 * 1024)..], output);
    }

    [Fact]
    public void Reads_a_rotated_file_to_its_end_then_the_new_file_without_losing_or_repeating_bytes()
    {
        Write("first\n");
        var tailer = StartTailer();
        Assert.Equal("first\n", ConsoleLog(tailer));
        var follower = CreateTestProbe();
        tailer.Tell(new FollowConsole(_id, null, follower.Ref));
        follower.ExpectMsg<ConsoleChunk>();

        // virtlogd: the last bytes go to console.log, which becomes console.log.0, and a new console.log starts.
        Write("end of the old file\n");
        File.Move(LogFile, LogFile + ".0");
        Write("start of the new file, already longer than the old one was\n");

        const string expected = "end of the old file\nstart of the new file, already longer than the old one was\n";
        Assert.Equal(expected, Receive(follower, expected));
        Assert.Equal("first\n" + expected, ConsoleLog(tailer));
        follower.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Resumes_at_its_saved_position_after_a_restart_reading_what_came_meanwhile_once_even_across_a_rotation()
    {
        Write("before the restart\n");
        var first = StartTailer();
        Assert.Equal("before the restart\n", ConsoleLog(first));
        StopGracefully(first);

        // While the host is down the guest writes on, and virtlogd rotates.
        Write("while down\n");
        File.Move(LogFile, LogFile + ".0");
        Write("after the rotation\n");

        var second = StartTailer();
        Assert.Equal("before the restart\nwhile down\nafter the rotation\n", ConsoleLog(second));
        Assert.Equal(Encoding.UTF8.GetByteCount("after the rotation\n"), Position(second).Offset);
    }

    [Fact]
    public void Rebuilds_its_tail_from_the_file_and_follows_on_from_its_position_after_a_restart()
    {
        Write("one\n");
        var first = StartTailer();
        Assert.Equal("one\n", ConsoleLog(first));
        StopGracefully(first);
        Write("two\n");

        var second = StartTailer();
        var follower = CreateTestProbe();
        second.Tell(new FollowConsole(_id, null, follower.Ref));
        Assert.Equal("one\ntwo\n", follower.ExpectMsg<ConsoleChunk>().Text);
        Write("three\n");

        Assert.Equal("three\n", Receive(follower, "three\n"));
        var position = Position(second);
        Assert.Equal((8L + 6, false), (position.Offset, position.LoginPromptSeen));
        Assert.StartsWith("ino:", position.FileId); // Linux: the file is known by its inode
    }

    [Fact]
    public void A_console_log_truncated_while_the_tailer_was_down_is_read_from_its_start_once()
    {
        Write("the old, longer content\n");
        var first = StartTailer();
        ConsoleLog(first);
        StopGracefully(first);

        File.WriteAllText(LogFile, "new\n"); // same file (inode), cut short

        Assert.Equal("new\n", ConsoleLog(StartTailer()));
    }

    [Fact]
    public void Reports_the_first_login_prompt_once_even_when_it_arrives_in_pieces()
    {
        Write("Starting dropbear sshd: OK\n\ntest2 log");
        var tailer = StartTailer();
        ConsoleLog(tailer);
        _instance.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Write("in: ");
        ConsoleLog(tailer);
        _instance.ExpectMsg<LoginPromptAppeared>();

        // A reboot prints it again; it is not news.
        Write("\nreboot: Restarting system\n\ntest2 login: ");
        ConsoleLog(tailer);
        _instance.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_restarted_tailer_does_not_report_a_login_prompt_it_already_reported()
    {
        Write("test2 login: ");
        var first = StartTailer();
        ConsoleLog(first);
        _instance.ExpectMsg<LoginPromptAppeared>();
        StopGracefully(first);

        Write("\ntest2 login: ");
        var second = StartTailer();
        ConsoleLog(second);
        _instance.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_login_prompt_written_while_the_host_was_down_is_reported_after_the_restart()
    {
        Write("Booting...\n");
        var first = StartTailer();
        ConsoleLog(first);
        StopGracefully(first);

        Write("login as 'cirros' user. default password: 'gocubsgo'. use 'sudo' for root.\n");
        var second = StartTailer();

        _instance.ExpectMsg<LoginPromptAppeared>();
        ConsoleLog(second);
        _instance.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Does_not_report_a_login_prompt_its_instance_already_recorded()
    {
        Write("test2 login: ");
        var tailer = StartTailer(loginPromptKnown: true);
        ConsoleLog(tailer);
        _instance.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Multi_byte_characters_cut_between_two_reads_are_not_corrupted()
    {
        const string text = "Instalación completa: ñandú, 漢字, €, 𝄞\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        var tailer = StartTailer();
        var follower = CreateTestProbe();
        tailer.Tell(new FollowConsole(_id, null, follower.Ref));
        follower.ExpectMsg<ConsoleChunk>();

        // Cut inside every multi-byte character in turn, with a read between the two halves.
        var written = 0;
        foreach (var cut in Enumerable.Range(1, bytes.Length - 1).Where(i => (bytes[i] & 0xC0) == 0x80))
        {
            Write(bytes[written..cut]);
            ConsoleLog(tailer);
            written = cut;
        }
        Write(bytes[written..]);

        Assert.Equal(text, ConsoleLog(tailer));
        Assert.Equal(text, Receive(follower, text));
    }

    [Fact]
    public void A_cut_character_is_read_again_after_a_restart()
    {
        var bytes = Encoding.UTF8.GetBytes("€uro\n");
        Write(bytes[..2]);
        var first = StartTailer();
        Assert.Equal("", ConsoleLog(first));
        StopGracefully(first);

        Write(bytes[2..]);
        var second = StartTailer();

        Assert.Equal("€uro\n", ConsoleLog(second));
    }

    [Fact]
    public void A_follower_that_stops_is_dropped()
    {
        Write("boot\n");
        var tailer = StartTailer();
        var follower = CreateTestProbe();
        tailer.Tell(new FollowConsole(_id, null, follower.Ref));
        follower.ExpectMsg<ConsoleChunk>();
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));

        StopGracefully(follower.Ref);
        Write("more\n");
        ConsoleLog(tailer);

        deadLetters.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Forgetting_ends_the_followers_drops_the_saved_position_and_stops()
    {
        Write("boot\n");
        var tailer = StartTailer();
        ConsoleLog(tailer);
        tailer.Tell(SaveConsoleTailPosition.Instance);
        var follower = CreateTestProbe();
        tailer.Tell(new FollowConsole(_id, null, follower.Ref));
        follower.ExpectMsg<ConsoleChunk>();
        Watch(tailer);

        tailer.Tell(ForgetConsole.Instance);

        follower.ExpectMsg<ConsoleFollowEnded>();
        ExpectTerminated(tailer);
        AwaitAssert(() =>
        {
            var store = Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
            store.Tell(new LoadSnapshot($"console-{_id}", SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
            Assert.Null(ExpectMsg<LoadSnapshotResult>().Snapshot);
        }, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void The_saved_position_reads_back_through_the_event_serializer()
    {
        var serializer = new EventJsonSerializer((ExtendedActorSystem)Sys, new ComputeManifests());
        var position = new ConsoleTailPosition(2_097_152, "ino:1234", true);

        Assert.Equal(position, serializer.FromBinary(serializer.ToBinary(position), serializer.Manifest(position)));
    }

    [Theory]
    [InlineData("test2 login: ", true)]
    [InlineData("cirros login:", true)]
    [InlineData("login as 'cirros' user. default password: 'gocubsgo'. use 'sudo' for root.", true)]
    [InlineData("Last login: Thu Nov 26 13:00:01 2026 from 10.0.0.1", false)]
    [InlineData("Starting dropbear sshd: OK", false)]
    public void Knows_a_login_prompt_when_it_sees_one(string line, bool prompt)
    {
        Assert.Equal(prompt, LoginPromptWatch.IsPrompt(line));
    }

    public new void Dispose()
    {
        base.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* cleaned with the temp dir */ }
    }
}
