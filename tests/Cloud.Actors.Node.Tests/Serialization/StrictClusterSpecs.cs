using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Node.Tests.Serialization;

/// <summary>
/// A controller and a compute host as two actor systems (so every message between them crosses remoting) with
/// Akka's fallback serializer switched off (<c>allow-unregistered-types = off</c>, from a site file): a message that
/// crosses nodes without a binding fails to send, is logged as an error, and the user's operation never completes.
/// A boot and what a user then does with the server must therefore go through on bound messages alone.
/// </summary>
public sealed class StrictClusterSpecs : IAsyncLifetime
{
    private static readonly RequestContext Admin = RequestContext.ShellAdmin;
    private readonly string _siteFile = Path.Combine(Path.GetTempPath(), $"cloud-actors-strict-{Guid.NewGuid():N}.conf");
    private InProcessCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_siteFile, "akka.actor.serialization-settings.allow-unregistered-types = off\n");
        _cluster = new InProcessCluster(InProcessCluster.NewStateRoot(),
            new Dictionary<string, string> { ["CLOUD_ACTORS_CONFIG"] = _siteFile });
        await _cluster.StartAsync(["compute1"]);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        File.Delete(_siteFile);
    }

    [Fact]
    public void The_nodes_have_no_fallback_serializer()
    {
        var serialization = ((ExtendedActorSystem)_cluster.Controller).Serialization;

        // Fault travels only inside bound records; on its own it has no binding, and strict mode refuses it.
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serialization.FindSerializerForType(typeof(Fault)));
    }

    [Fact]
    public async Task A_server_is_booted_used_and_deleted_across_nodes_on_bound_messages_alone()
    {
        var nova = _cluster.Nova;
        var id = (await nova.Boot(new BootArguments("strict", "cirros", "1", null, [InProcessCluster.Privada]), Admin)).Single().State.Id.ToString();
        await Until(id, "ACTIVE");

        await nova.Act(id, InstanceAction.Stop, Admin);
        await Until(id, "SHUTOFF");
        await nova.Act(id, InstanceAction.Start, Admin);
        await Until(id, "ACTIVE");
        await nova.Rename(id, "strict-renamed", Admin);
        await nova.Rebuild(id, "cirros", Admin);
        await Until(id, "ACTIVE");
        var console = await nova.ConsoleLog(id, 5, Admin);
        var followed = await FirstFollowed(id);
        var actions = await nova.InstanceActions(id, Admin);
        await nova.SetServiceStatus("compute1", ComputeServiceView.ComputeBinary, false, "strict");
        var services = await nova.Services();
        await nova.SetServiceStatus("compute1", ComputeServiceView.ComputeBinary, true, null);
        await nova.Act(id, InstanceAction.Delete, Admin);
        await Eventually.True(async () => (await nova.List(Admin, allProjects: true)).All(f => f.State.Id.ToString() != id), "the server is gone");

        Assert.Contains("strict-renamed login:", console);
        // console-log --length 5 cuts as Nova (5 pieces, the last one empty); a follow starts from the last 5 lines.
        Assert.EndsWith(console, followed);
        Assert.Equal(["rebuild", "start", "stop", "create"], actions.Select(a => a.Action));
        Assert.Contains(services, s => s is { Host: "compute1", Enabled: false, DisabledReason: "strict" });
        Assert.Empty(_cluster.Errors);
    }

    private async Task<InstanceState> Until(string id, string status) =>
        await Eventually.Satisfies(async () => (await _cluster.Nova.Show(id, Admin)).State, s => s.Status == status);

    /// <summary>The first text a console follower gets: the current tail, streamed from the host to the controller.</summary>
    private async Task<string> FirstFollowed(string id)
    {
        using var cancel = new CancellationTokenSource(Eventually.Timeout);
        await foreach (var text in _cluster.Nova.FollowConsoleLog(id, 5, Admin, cancel.Token))
            return text;
        throw new InvalidOperationException("the console follow ended without text");
    }
}
