using System.Security.Cryptography;
using Akka.Actor;
using Akka.Cluster;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Controller.Images;
using Cloud.Actors.Domain.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// Two controllers and a compute host on one shared PostgreSQL database, composed as the node program composes
/// them: the singletons (scheduler, network, directory, catalog) run on the oldest controller and hand over to the other when it
/// leaves; an image uploaded through either controller is copied to the other before it is active.
/// </summary>
public sealed class MultiControllerSpecs : IAsyncLifetime
{
    private PostgresTestDatabase? _database;
    private InProcessCluster? _cluster;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _cluster = _database.Cluster();
        await _cluster.StartAsync(["compute1"], ["controller", "controller2"]);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private NovaService Nova(string controller) => _cluster!.Services(controller).GetRequiredService<NovaService>();

    private ImageService Images(string controller) => _cluster!.Services(controller).GetRequiredService<ImageService>();

    private ImageStore Store(string controller) => NodeImages.Store(_cluster!.Services(controller).GetRequiredService<NodeSettings>());

    [Fact]
    public async Task An_upload_through_one_controller_is_stored_on_the_other_before_it_is_active()
    {
        var bytes = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);
        var created = await Images("controller2").Create(new ImageCreation { Name = "doble", DiskFormat = "raw", ContainerFormat = "bare" },
            RequestContext.ShellAdmin);

        var active = await Images("controller2").Upload(created.Id, new MemoryStream(bytes), RequestContext.ShellAdmin);

        Assert.Equal("active", active.Status);
        var copy = Store("controller").Find(created.Id);
        Assert.NotNull(copy);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), copy.Checksum);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(copy.Path));
    }

    [Fact]
    public async Task When_the_oldest_controller_leaves_the_other_takes_the_singletons_and_serves_its_uploads()
    {
        var bytes = RandomNumberGenerator.GetBytes(512 * 1024);
        var created = await Images("controller").Create(new ImageCreation { Name = "superviviente", DiskFormat = "raw", ContainerFormat = "bare" },
            RequestContext.ShellAdmin);
        await Images("controller").Upload(created.Id, new MemoryStream(bytes), RequestContext.ShellAdmin);
        var before = (await Nova("controller").Boot(new BootArguments("antes", "cirros", "1", null, [InProcessCluster.Privada]),
            RequestContext.ShellAdmin)).Single().State;

        await _cluster!.StopNodeAsync("controller");

        // The catalog and the directory come back on controller2 from the shared journal; the scheduler relearns compute1.
        var nova = Nova("controller2");
        var image = await Eventually.Satisfies(async () => (await nova.Catalog()).Images.FirstOrDefault(i => i.Id == created.Id),
            i => i?.Status == "active");
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), image!.Checksum);
        await Eventually.Satisfies(async () => (await nova.Show(before.Id.ToString(), RequestContext.ShellAdmin)).State, s => s.Status == "ACTIVE");
        var after = (await nova.Boot(new BootArguments("despues", created.Id, "1", null, [InProcessCluster.Privada]), RequestContext.ShellAdmin))
            .Single().State;
        var active = await Eventually.Satisfies(async () => (await nova.Show(after.Id.ToString(), RequestContext.ShellAdmin)).State,
            s => s.Status == "ACTIVE");
        Assert.Equal("compute1", active.Host);
        Assert.Equal(before.Spec.Number + 1, active.Spec.Number);
        // The network service came back from the shared journal too: the first server keeps its port, and its address
        // is not handed out again.
        var kept = Assert.Single(await nova.Neutron.Ports(new ListPorts(null, DeviceId: before.Id.ToString())));
        Assert.Equal(Assert.Single(before.Spec.Addresses).Address, Assert.Single(kept.FixedIps).IpAddress);
        Assert.NotEqual(kept.FixedIps[0].IpAddress, Assert.Single(active.Spec.Addresses).Address);

        // The compute host fetches the image's bytes from the controller that is left.
        var compute = _cluster.Node("compute1");
        var cached = await NodeImages.Cache(compute, _cluster.Services("compute1").GetRequiredService<NodeSettings>()).FetchAsync(created.Id);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(cached.Path));
        Assert.Equal(2, Cluster.Get(compute).State.Members.Count(m => m.Status == MemberStatus.Up));
    }
}
