using Akka.Actor;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Fake;
using Cloud.Actors.Virt.Networking;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>
/// The host's plumbing of its guests' ports, as Nova's plug_vifs/unplug_vifs: plugged before the guest is defined,
/// unplugged when it is deleted, and after a host restart present for every instance of the host and for no other.
/// </summary>
public sealed class VifPlumbingSpecs(ITestOutputHelper output) : CloudSpec(output)
{
    private static readonly ComputeSettings Settings = new() { Host = "compute1", ShutdownTimeout = TimeSpan.FromSeconds(1) };
    private readonly FakeHypervisor _hypervisor = new();
    private readonly InMemoryVifs _vifs = new();

    private static InstanceSpec Spec(Guid id, params FixedIp[] addresses) => new(id, 0x1c, "test2", "project", "user", Flavor.Classic[0],
        new InstanceImage("image-id", "cirros", new Dictionary<string, string>()), "miclave", null, addresses, "nova", 0, DateTimeOffset.UtcNow);

    private static FixedIp Nic(string port, string address) => new("net-1", "privada", address, "fa:16:3e:00:00:01", port);

    private async Task<HashSet<string>> PluggedPorts() => (await _vifs.ListAsync()).Select(v => v.PortId).ToHashSet();

    private void BuildToActive(IActorRef compute, InstanceSpec spec, Akka.TestKit.TestProbe directory)
    {
        compute.Tell(new BuildInstance(spec), directory.Ref);
        directory.FishForMessage(m => m is InstanceChanged { State.Status: "ACTIVE" } c && c.State.Id == spec.Id, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_spawn_plugs_each_port_once_and_a_delete_unplugs_them()
    {
        var directory = CreateTestProbe();
        var compute = Sys.ActorOf(ComputeActor.Props(_hypervisor, CreateTestProbe().Ref, directory.Ref, Settings, vifs: _vifs));
        var id = Guid.NewGuid();
        // Two addresses on one port are one NIC; a second port is a second NIC.
        BuildToActive(compute, Spec(id, Nic("port-aaaaaaaaaaa", "10.0.0.5"), Nic("port-aaaaaaaaaaa", "10.0.0.6"), Nic("port-bbbbbbbbbbb", "10.1.0.5")), directory);
        Assert.Equal(["port-aaaaaaaaaaa", "port-bbbbbbbbbbb"], (await PluggedPorts()).Order());
        Assert.All(await _vifs.ListAsync(), v => Assert.Equal(id, v.InstanceId));

        compute.Tell(new InstanceCommand(id, InstanceAction.Delete), directory.Ref);
        directory.FishForMessage(m => m is InstanceChanged { State.IsDeleted: true }, TimeSpan.FromSeconds(5));
        await AwaitAssertAsync(async () => Assert.Empty(await PluggedPorts()));
    }

    [Fact]
    public async Task A_host_that_gives_guests_no_nics_plugs_nothing()
    {
        var directory = CreateTestProbe();
        var compute = Sys.ActorOf(ComputeActor.Props(_hypervisor, CreateTestProbe().Ref, directory.Ref, Settings with { GuestNics = false }, vifs: _vifs));
        BuildToActive(compute, Spec(Guid.NewGuid(), Nic("port-nonicsnon", "10.0.0.8")), directory);
        Assert.Empty(await PluggedPorts());
    }

    [Fact]
    public void An_address_recorded_without_its_port_is_plugged_under_the_port_id_its_adoption_gave_it()
    {
        var id = Guid.NewGuid();
        var nics = InstanceNics.Of(Spec(id, new FixedIp("net-1", "privada", "10.0.0.5", "FA:16:3E:00:00:01")));
        Assert.Equal([new GuestNic(PortIds.ForInstance(id, 0), "net-1", "fa:16:3e:00:00:01")], nics);
    }

    [Fact]
    public async Task A_restarted_host_plugs_its_instances_again_and_removes_the_ports_of_instances_it_no_longer_has()
    {
        var directory = CreateTestProbe();
        var scheduler = CreateTestProbe();
        var compute = Sys.ActorOf(ComputeActor.Props(_hypervisor, scheduler.Ref, directory.Ref, Settings, vifs: _vifs));
        var (kept, gone) = (Guid.NewGuid(), Guid.NewGuid());
        BuildToActive(compute, Spec(kept, Nic("port-keptkeptke", "10.0.0.5")), directory);
        Watch(compute);
        Sys.Stop(compute);
        ExpectTerminated(compute);

        // While the host was down: its kept port's devices vanished, and a port of an instance it never had is left over.
        await _vifs.UnplugAsync(["port-keptkeptke"]);
        await _vifs.PlugAsync(gone, [new GuestNic("port-gonegoneg", "net-1", "fa:16:3e:00:00:02")]);

        Sys.ActorOf(ComputeActor.Props(_hypervisor, scheduler.Ref, directory.Ref, Settings, vifs: _vifs));
        await AwaitAssertAsync(async () => Assert.Equal(["port-keptkeptke"], await PluggedPorts()), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_port_of_a_guest_still_defined_on_the_host_is_left_alone()
    {
        // An orphan that running-deleted-instance-action=log leaves running keeps its network.
        var orphan = Guid.NewGuid();
        await _hypervisor.DefineAsync(new Virt.GuestDefinition("instance-00000099", orphan, "orphan.novalocal", 64, 1, 1));
        await _vifs.PlugAsync(orphan, [new GuestNic("port-orphanorph", "net-1", "fa:16:3e:00:00:03")]);

        var directory = CreateTestProbe();
        var compute = Sys.ActorOf(ComputeActor.Props(_hypervisor, CreateTestProbe().Ref, directory.Ref, Settings, vifs: _vifs));
        BuildToActive(compute, Spec(Guid.NewGuid(), Nic("port-builtbuilt", "10.0.0.7")), directory);
        Assert.Equal(["port-builtbuilt", "port-orphanorph"], (await PluggedPorts()).Order());
    }
}
