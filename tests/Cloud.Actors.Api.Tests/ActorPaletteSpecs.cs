using Akka.Actor;
using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Tests;

/// <summary>`actor hierarchy`: the node's live actors as a tree of paths.</summary>
public sealed class ActorPaletteSpecs : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("actor-palette-specs", "akka.loglevel = WARNING");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private ShellDispatcher _dispatcher = null!;

    public async Task InitializeAsync()
    {
        _dispatcher = new ShellDispatcher([new ActorPalette(_system)]);
        var parent = _system.ActorOf(Props.Create(() => new Parent()), "compute");
        await parent.Ask<string>("ready", TimeSpan.FromSeconds(5));
    }

    public Task DisposeAsync() => _system.Terminate();

    private Task<int> Run(params string[] args) => _dispatcher.ExecuteAsync(args, _output, _error, CancellationToken.None);

    private string[] Lines => _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Hierarchy_lists_every_user_actor_under_its_parent_children_by_name()
    {
        Assert.Equal(0, await Run("actor", "hierarchy"));

        Assert.Equal(
        [
            "/user",
            "  /user/compute",
            "    /user/compute/a-instance",
            "      /user/compute/a-instance/console",
            "    /user/compute/b-instance",
            "5 actors",
        ], Lines);
    }

    [Fact]
    public async Task Depth_stops_the_walk_and_max_counts_what_it_leaves_out()
    {
        Assert.Equal(0, await Run("actor", "hierarchy", "--depth", "1"));
        Assert.Equal(["/user", "  /user/compute", "2 actors"], Lines);

        _output.GetStringBuilder().Clear();
        Assert.Equal(0, await Run("actor", "hierarchy", "--max", "2"));
        Assert.Equal(["/user", "  /user/compute", "5 actors (3 more not listed; raise --max to see them)"], Lines);
    }

    [Fact]
    public async Task System_adds_akkas_own_actors()
    {
        Assert.Equal(0, await Run("actor", "hierarchy", "--system", "--depth", "1"));

        Assert.Contains("/system", Lines);
        Assert.Contains(Lines, l => l.StartsWith("  /system/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_negative_depth_is_refused()
    {
        Assert.Equal(1, await Run("actor", "hierarchy", "--depth", "-1"));

        Assert.Contains("--depth", _error.ToString());
    }

    /// <summary>compute/a-instance/console and compute/b-instance; "ready" is answered once a-instance has made its console.</summary>
    private sealed class Parent : ReceiveActor
    {
        public Parent()
        {
            Context.ActorOf(Props.Create(() => new Instance(false)), "b-instance");
            var a = Context.ActorOf(Props.Create(() => new Instance(true)), "a-instance");
            ReceiveAny(m => a.Forward(m));
        }
    }

    private sealed class Instance : ReceiveActor
    {
        public Instance(bool withConsole)
        {
            if (withConsole) Context.ActorOf(Props.Empty, "console");
            ReceiveAny(_ => Sender.Tell("ready"));
        }
    }
}
