using System.Net;
using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Api.Shell;
using Cloud.Actors.Api.Tests;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Domain.Instances;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>
/// `nova console-log --follow` end to end in one process: the shell (or NovaService), the directory, the
/// compute host and the instance's tailer over a console.log the spec writes as the guest would.
/// </summary>
public sealed class ConsoleFollowSpecs(ITestOutputHelper output) : CloudSpec(output), IAsyncLifetime
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);
    private readonly ConsoleFileStorage _storage = new();
    private LocalCloud _cloud = null!;
    private ShellServer? _shell;

    public async Task InitializeAsync() => _cloud = await LocalCloud.Start(hosts: 1, storage: _storage);

    public async Task DisposeAsync()
    {
        if (_shell is not null)
        {
            await _shell.StopAsync(CancellationToken.None);
            _shell.Dispose();
        }
        await _cloud.DisposeAsync();
        _storage.Dispose();
    }

    private async Task<Guid> Active(string name)
    {
        var booted = await _cloud.Boot(name);
        await _cloud.WaitForStatus(booted.Id, "ACTIVE");
        return booted.Id;
    }

    private int Followers(Guid id) =>
        _cloud.System.ActorSelection($"{LocalCloud.InstancePath("compute1", id)}/console").Ask<int>(GetConsoleFollowers.Instance, Soon).Result;

    private async Task<IPEndPoint> StartShell()
    {
        _shell = new ShellServer(new ShellDispatcher([new NovaPalette(_cloud.Nova)]), new ShellOptions { Port = 0 });
        await _shell.StartAsync(CancellationToken.None);
        return await _shell.Listening;
    }

    private static string Out(System.Text.Json.Nodes.JsonObject? frame) =>
        frame?["out"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"expected an out frame, got {frame}");

    [Fact]
    public async Task Following_gives_the_tail_then_each_new_piece_until_the_instance_is_deleted()
    {
        var id = await Active("test2");
        _storage.Write(id, "Booting from Hard Disk...\n");
        await using var follow = _cloud.Nova.FollowConsoleLog("test2", null, LocalCloud.Admin).GetAsyncEnumerator();

        Assert.True(await follow.MoveNextAsync());
        Assert.Equal("Booting from Hard Disk...\n", follow.Current);
        _storage.Write(id, "test2 login: ");
        Assert.True(await follow.MoveNextAsync().AsTask().WaitAsync(Soon));
        Assert.Equal("test2 login: ", follow.Current);
        Assert.NotNull((await _cloud.WaitFor(id, s => s.LoginPromptAt is not null, "at its login prompt")).LoginPromptAt);

        await _cloud.Nova.Act("test2", InstanceAction.Delete, LocalCloud.Admin);

        Assert.False(await follow.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Cancelling_a_follow_unsubscribes_it_from_the_tailer()
    {
        var id = await Active("test2");
        using var cancel = new CancellationTokenSource();
        await using var follow = _cloud.Nova.FollowConsoleLog("test2", null, LocalCloud.Admin, cancel.Token).GetAsyncEnumerator();
        _storage.Write(id, "boot\n");
        Assert.True(await follow.MoveNextAsync());
        Assert.Equal(1, Followers(id));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follow.MoveNextAsync().AsTask());
        AwaitAssert(() => Assert.Equal(0, Followers(id)), Soon, TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task Following_an_unknown_server_is_refused()
    {
        await using var follow = _cloud.Nova.FollowConsoleLog("nope", null, LocalCloud.Admin).GetAsyncEnumerator();

        var refused = await Assert.ThrowsAsync<NovaException>(() => follow.MoveNextAsync().AsTask());
        Assert.Equal(404, refused.Code);
    }

    [Fact]
    public async Task The_shell_streams_console_log_follow_frame_by_frame_and_exits_0_when_the_server_is_deleted()
    {
        var id = await Active("test2");
        _storage.Write(id, "SeaBIOS (version 1.16.2)\nBooting from Hard Disk...\n");
        await using var client = await ShellTestClient.ConnectAsync(await StartShell());

        await client.SendAsync("nova", "console-log", "--follow", "--length", "1", "test2");

        Assert.Equal("Booting from Hard Disk...\n", Out(await client.ReadFrameAsync()));
        _storage.Write(id, "test2 login: ");
        Assert.Equal("test2 login: ", Out(await client.ReadFrameAsync()));
        await _cloud.Nova.Act("test2", InstanceAction.Delete, LocalCloud.Admin);
        var end = await client.ReadResultAsync();
        Assert.Equal(new CommandResult(0, "\nServer test2 was deleted: its console log ends here.\n", ""), end);
    }

    [Fact]
    public async Task A_shell_client_that_hangs_up_stops_following()
    {
        var id = await Active("test2");
        _storage.Write(id, "boot\n");
        var client = await ShellTestClient.ConnectAsync(await StartShell());
        await client.SendAsync("nova", "console-log", "--follow", "test2");
        Assert.Equal("boot\n", Out(await client.ReadFrameAsync()));
        Assert.Equal(1, Followers(id));

        await client.DisposeAsync();

        AwaitAssert(() => Assert.Equal(0, Followers(id)), Soon, TimeSpan.FromMilliseconds(20));
    }
}
