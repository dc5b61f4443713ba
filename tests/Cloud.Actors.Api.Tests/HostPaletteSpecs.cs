using Akka.Actor;
using Cloud.Actors.Api.Shell;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Api.Tests;

/// <summary>`host show | guests` against a stand-in for the node's compute actor at /user/compute.</summary>
public sealed class HostPaletteSpecs : IAsyncLifetime
{
    private static readonly HostStatus Status = new(
        new HostCapabilities("compute1", "compute1.example", "QEMU", 2, 4096, 40, "nova", false, new Dictionary<string, string>(), "new disks"),
        Instances: 1,
        [
            new HostGuest("instance-00000002", Guid.Parse("22222222-2222-2222-2222-222222222222"), PowerState.Shutdown, HostGuest.Orphan),
            new HostGuest("instance-00000001", Guid.Parse("11111111-1111-1111-1111-111111111111"), PowerState.Running, HostGuest.OwnedByInstance),
            new HostGuest("instance-00100000", Guid.Parse("33333333-3333-3333-3333-333333333333"), PowerState.Paused, HostGuest.OtherHost),
        ]);

    private readonly ActorSystem _system = ActorSystem.Create("host-palette-specs", "akka.loglevel = WARNING");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private ShellDispatcher _dispatcher = null!;

    public Task InitializeAsync()
    {
        _dispatcher = new ShellDispatcher([new HostPalette(_system, TimeSpan.FromSeconds(1))]);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _system.Terminate();

    private void ComputeAnswers() =>
        _system.ActorOf(Props.Create(() => new Compute()), "compute");

    private Task<int> Run(params string[] args) => _dispatcher.ExecuteAsync(args, _output, _error, CancellationToken.None);

    private static string Squeezed(string text) => System.Text.RegularExpressions.Regex.Replace(text, " +", " ");

    [Fact]
    public async Task Show_prints_the_host_as_it_registers_with_its_service_status()
    {
        ComputeAnswers();

        Assert.Equal(0, await Run("host", "show"));

        var text = Squeezed(_output.ToString());
        Assert.Contains("| host | compute1 |", text);
        Assert.Contains("| memory_mb | 4096 |", text);
        Assert.Contains("| status | disabled |", text);
        Assert.Contains("| disabled_reason | new disks |", text);
        Assert.Contains("| instances | 1 |", text);
        Assert.Contains("| guests | 3 |", text);
    }

    [Fact]
    public async Task Guests_lists_this_hosts_instances_and_orphans_by_name_and_all_adds_other_hosts()
    {
        ComputeAnswers();

        Assert.Equal(0, await Run("host", "guests"));
        var rows = Squeezed(_output.ToString()).Split('\n').Where(l => l.StartsWith("| instance-", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "| instance-00000001 | 11111111-1111-1111-1111-111111111111 | Running | instance |",
            "| instance-00000002 | 22222222-2222-2222-2222-222222222222 | Shutdown | orphan |",
        ], rows);

        _output.GetStringBuilder().Clear();
        Assert.Equal(0, await Run("host", "guests", "--all"));
        Assert.Contains("| instance-00100000 | 33333333-3333-3333-3333-333333333333 | Paused | other host |", Squeezed(_output.ToString()));
    }

    [Fact]
    public async Task Without_a_compute_actor_the_shell_says_nobody_answered()
    {
        Assert.Equal(1, await Run("host", "show"));

        Assert.Contains("ERROR (ServiceUnavailable)", _error.ToString());
    }

    private sealed class Compute : ReceiveActor
    {
        public Compute() => Receive<GetHostStatus>(_ => Sender.Tell(Status));
    }
}
