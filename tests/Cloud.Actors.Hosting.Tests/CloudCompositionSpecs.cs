using Akka.Actor;
using Akka.Hosting;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Node;
using Cloud.Actors.Virt.Fake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Cloud.Actors.Hosting.Tests;

/// <summary>
/// The node's composition (<see cref="CloudActorsHosting.WithCloudActors"/>) in Akka.Hosting's own TestKit: an
/// all-in-one node that joins itself, its journal in memory and one fake compute host. What the builders put in the
/// registry, where the singletons run, and the readiness the node's /healthcheck reports.
/// </summary>
public sealed class CloudCompositionSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(NodeSettings.SystemName, output)
{
    private readonly FakeHypervisor _hypervisor = new(new FakeHypervisorOptions { Hostname = "compute1" });
    private readonly string _state = Directory.CreateTempSubdirectory("cloud-actors-composition-").FullName;

    private NodeSettings Settings()
    {
        var env = new Dictionary<string, string>
        {
            ["CLOUD_ACTORS_NODE"] = "controller",
            ["CLOUD_ACTORS_ROLES"] = "controller,compute",
            ["CLOUD_ACTORS_PORT"] = "0",
            ["CLOUD_ACTORS_STATE_DIR"] = _state,
            ["CLOUD_ACTORS_API_ENABLED"] = "off",
        };
        return NodeSettings.Load(InProcessCloud.HoconDir, v => env.GetValueOrDefault(v));
    }

    protected override void ConfigureServices(HostBuilderContext context, IServiceCollection services)
    {
        services.AddSingleton<NodeReadiness>();
        services.AddHealthChecks();
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithCloudActors(Settings(), new CloudComposition
        {
            Formation = ClusterFormation.JoinSelf,
            Journal = JournalChoice.InMemory,
            ComputeHosts = [new ComputeHostSpec("compute1", _ => (_hypervisor, NoInstanceStorage.Instance), new ComputeSettings { Host = "compute1" })],
        }, provider.GetRequiredService<NodeReadiness>());

    [Fact]
    public async Task The_registry_holds_a_proxy_of_each_singleton_and_the_compute_host()
    {
        var registry = ActorRegistry.For(Sys);

        Assert.Equal("/user/scheduler-proxy", (await registry.GetAsync<SchedulerKey>()).Path.ToStringWithoutAddress());
        Assert.Equal("/user/directory-proxy", (await registry.GetAsync<DirectoryKey>()).Path.ToStringWithoutAddress());
        Assert.Equal("/user/network-proxy", (await registry.GetAsync<NetworkKey>()).Path.ToStringWithoutAddress());
        Assert.Equal("/user/catalog-proxy", (await registry.GetAsync<CatalogKey>()).Path.ToStringWithoutAddress());
        Assert.Equal("/user/compute1", (await registry.GetAsync<ComputeKey>()).Path.ToStringWithoutAddress());
        // The singletons run under their managers, the persistent ones under a back-off supervisor.
        await AwaitAssertAsync(async () =>
        {
            Assert.NotNull(await Sys.ActorSelection("/user/directory/directory/directory").ResolveOne(TimeSpan.FromSeconds(1)));
            Assert.NotNull(await Sys.ActorSelection("/user/catalog/catalog/catalog").ResolveOne(TimeSpan.FromSeconds(1)));
            Assert.NotNull(await Sys.ActorSelection("/user/scheduler/scheduler").ResolveOne(TimeSpan.FromSeconds(1)));
        }, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_boot_sent_through_the_directory_proxy_becomes_active_on_the_compute_host()
    {
        var directory = await ActorRegistry.For(Sys).GetAsync<DirectoryKey>();
        var catalog = (await ActorRegistry.For(Sys).GetAsync<CatalogKey>()).Ask<CatalogView>(GetCatalog.Instance, TimeSpan.FromSeconds(10));
        var view = await catalog;
        var id = Guid.NewGuid();

        await AwaitAssertAsync(async () => Assert.IsType<BootAccepted>(await directory.Ask<object>(new BootRequest(id, "compuesta", "p", "u",
            view.Flavors[0], new InstanceImage(view.Images[0].Id, view.Images[0].Name, new Dictionary<string, string>()), null, null, view.Networks[0], "nova", 0,
            DateTimeOffset.UtcNow), TimeSpan.FromSeconds(5))), TimeSpan.FromSeconds(20));

        await AwaitAssertAsync(async () =>
        {
            var found = Assert.IsType<InstanceFound>(await directory.Ask<object>(new FindInstance(id.ToString(), null), TimeSpan.FromSeconds(5)));
            Assert.Equal(("ACTIVE", "compute1"), (found.State.Status, found.State.Host));
        }, TimeSpan.FromSeconds(20));
        Assert.Single(await _hypervisor.ListAsync());
    }

    [Fact]
    public async Task The_readiness_checks_pass_once_the_node_is_up_and_its_actors_answer()
    {
        var health = Host.Services.GetRequiredService<HealthCheckService>();

        await AwaitAssertAsync(async () =>
        {
            var report = await health.CheckHealthAsync(check => check.Tags.Contains(Cloud.Actors.Api.Rest.RestServer.ReadinessTag));
            Assert.True(report.Status == HealthStatus.Healthy,
                string.Join("; ", report.Entries.Select(e => $"{e.Key} {e.Value.Status} {e.Value.Description}")));
            Assert.Contains("cloud-actors-singletons", report.Entries.Keys);
            Assert.Contains("cloud-actors-compute", report.Entries.Keys);
        }, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Singletons_silent_after_having_answered_make_the_node_degraded_not_unready()
    {
        var health = Host.Services.GetRequiredService<HealthCheckService>();
        Task<HealthReport> Readiness() => health.CheckHealthAsync(check => check.Tags.Contains(Cloud.Actors.Api.Rest.RestServer.ReadinessTag));
        await AwaitAssertAsync(async () => Assert.Equal(HealthStatus.Healthy, (await Readiness()).Status), TimeSpan.FromSeconds(30));

        // As in a hand-over: the directory's proxy has no singleton to send to.
        var manager = await Sys.ActorSelection("/user/directory").ResolveOne(TimeSpan.FromSeconds(5));
        Watch(manager);
        Sys.Stop(manager);
        ExpectTerminated(manager);

        var report = await Readiness();
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("directory", report.Entries["cloud-actors-singletons"].Description);
    }

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }
}
