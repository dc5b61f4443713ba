using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Cloud.Actors.Controller.Network;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Networking;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

/// <summary>
/// The network service as its callers meet it: the seeded privada, ports whose addresses and MACs are never handed out
/// twice (whoever asks, however many at once), Neutron's refusals, copies of a request answering the same port, and
/// everything back after a restart from the journal and its snapshots. The journal is in memory.
/// </summary>
public sealed class NetworkActorSpecs(ITestOutputHelper output) : ControllerSpec(output)
{
    private const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";
    private IActorRef _network = null!;

    private IActorRef Start(int snapshotEvery = 1000) => _network = Sys.ActorOf(NetworkActor.Props(snapshotEvery));

    private void Restart(int snapshotEvery = 1000)
    {
        Watch(_network);
        Sys.Stop(_network);
        ExpectTerminated(_network);
        Start(snapshotEvery);
    }

    private static CreatePortRequest PortOn(string networkId, string device = "", string? id = null, params RequestedFixedIp[] fixedIps) =>
        new(id ?? Guid.NewGuid().ToString(), networkId, "demo", "", device, device == "" ? "" : "compute:nova", fixedIps, null, true,
            device != "", DateTimeOffset.UtcNow);

    private NetworksAnswer Networks(string? project = null)
    {
        _network.Tell(new ListNetworks(project));
        return ExpectMsg<NetworksAnswer>();
    }

    private Port[] Ports(ListPorts filter)
    {
        _network.Tell(filter);
        return ExpectMsg<PortsAnswer>().Ports;
    }

    private (string NetworkId, string SubnetId) NetworkWithSubnet(string cidr, string project = "demo", bool shared = false)
    {
        var network = new VirtualNetwork(Guid.NewGuid().ToString(), $"net-{cidr}", project, shared, true, "", DateTimeOffset.UtcNow);
        _network.Tell(new CreateNetworkRequest(network));
        ExpectMsg<NetworkAnswer>();
        var subnet = new Subnet(Guid.NewGuid().ToString(), "", network.Id, project, cidr, null, [], [], true, "", DateTimeOffset.UtcNow);
        Assert.Null(Subnet.Complete(ref subnet, gatewayGiven: false));
        _network.Tell(new CreateSubnetRequest(subnet));
        ExpectMsg<SubnetAnswer>();
        return (network.Id, subnet.Id);
    }

    [Fact]
    public void An_empty_journal_starts_with_the_shared_privada_10_0_0_0_24_with_gateway_10_0_0_1()
    {
        Start();

        var all = Networks("any-project");

        var privada = Assert.Single(all.Networks);
        Assert.Equal((Privada, "privada", true, 1), (privada.Id, privada.Name, privada.Shared, privada.SegmentationId));
        var subnet = Assert.Single(all.Subnets);
        Assert.Equal(("10.0.0.0/24", "10.0.0.1"), (subnet.Cidr, subnet.GatewayIp));
        Assert.Equal(new AllocationPool("10.0.0.2", "10.0.0.254"), Assert.Single(subnet.AllocationPools));
    }

    [Fact]
    public void Each_network_gets_a_vni_of_its_own_the_lowest_free_one_and_keeps_it_across_restarts()
    {
        // A network journaled before networks had VNIs, as an older controller left it.
        var older = new VirtualNetwork(Guid.NewGuid().ToString(), "older", "demo", false, true, "", DateTimeOffset.UtcNow);
        var journal = Persistence.Instance.Apply(Sys).JournalFor(null);
        journal.Tell(new WriteMessages([new AtomicWrite(new Persistent(new VirtualNetworkCreated(older), 1, "network", writerGuid: "older"))], TestActor, 1));
        ExpectMsg<WriteMessagesSuccessful>();
        ExpectMsg<WriteMessageSuccess>();
        Start();
        var (first, _) = NetworkWithSubnet("192.168.1.0/24");
        var (second, _) = NetworkWithSubnet("192.168.2.0/24");
        int? Vni(string id) => Networks().Networks.Single(n => n.Id == id).SegmentationId;
        Assert.Equal([1, 2, 3], new[] { Vni(older.Id), Vni(first), Vni(second) });
        // The older network's VNI is journaled, not worked out again at each recovery (a snapshot's order may differ).
        journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, "network", TestActor));
        var replayed = new List<object>();
        FishForMessage(m =>
        {
            if (m is ReplayedMessage r) replayed.Add(r.Persistent.Payload);
            return m is RecoverySuccess;
        });
        Assert.Contains(new NetworkSegmentAllocated(older.Id, 1), replayed);

        // A deleted network's VNI is free again; a restart gives each the same.
        _network.Tell(new DeleteNetworkRequest(first));
        ExpectMsg<NetworkingDone>();
        var (third, _) = NetworkWithSubnet("192.168.3.0/24");
        Assert.Equal(2, Vni(third));
        Restart();
        Assert.Equal([1, 3, 2], new[] { Vni(older.Id), Vni(second), Vni(third) });
    }

    [Fact]
    public void Many_senders_at_once_never_get_the_same_address_or_mac_and_the_first_one_past_the_end_is_409_naming_the_network()
    {
        Start();
        var senders = Enumerable.Range(0, 23).Select(_ => CreateTestProbe()).ToList();
        // 23 senders x 11 ports = the 253 addresses of privada's pool, all asked before any answer is read.
        foreach (var _ in Enumerable.Range(0, 11))
            foreach (var sender in senders)
                _network.Tell(PortOn(Privada), sender.Ref);

        var ports = senders.SelectMany(s => Enumerable.Range(0, 11).Select(_ => s.ExpectMsg<PortAnswer>().Port)).ToList();

        Assert.Equal(253, ports.Select(p => Assert.Single(p.FixedIps).IpAddress).Distinct().Count());
        Assert.Equal(253, ports.Select(p => p.MacAddress).Distinct().Count());
        Assert.All(ports, p => Assert.Matches("^fa:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$", p.MacAddress));
        Assert.DoesNotContain(ports, p => p.FixedIps[0].IpAddress is "10.0.0.0" or "10.0.0.1" or "10.0.0.255");
        _network.Tell(PortOn(Privada));
        var full = ExpectMsg<NetworkingRejected>();
        Assert.Equal((409, "IpAddressGenerationFailure", $"No more IP addresses available on network {Privada}."), (full.Code, full.Type, full.Message));
        var subnet = Networks().Subnets[0].Id;
        _network.Tell(PortOn(Privada, fixedIps: new RequestedFixedIp(subnet, null)));
        Assert.Equal($"No more IP addresses available for subnet {subnet}.", ExpectMsg<NetworkingRejected>().Message);
    }

    [Fact]
    public void A_copy_of_a_port_request_answers_the_same_port_even_while_the_first_is_being_journaled()
    {
        Start();
        var device = Guid.NewGuid().ToString();
        var request = PortOn(Privada, device, PortIds.ForInstance(Guid.Parse(device), 0));

        _network.Tell(request);
        _network.Tell(request);
        var first = ExpectMsg<PortAnswer>().Port;
        var second = ExpectMsg<PortAnswer>().Port;
        _network.Tell(request);

        Assert.Equal(first, second);
        Assert.Equal(first, ExpectMsg<PortAnswer>().Port);
        Assert.Single(Ports(new ListPorts(null, DeviceId: device)));
    }

    [Fact]
    public void A_fixed_ip_asked_for_is_given_once_and_then_409_already_allocated()
    {
        Start();
        _network.Tell(PortOn(Privada, fixedIps: new RequestedFixedIp(null, "10.0.0.77")));
        Assert.Equal("10.0.0.77", ExpectMsg<PortAnswer>().Port.FixedIps[0].IpAddress);

        _network.Tell(PortOn(Privada, fixedIps: new RequestedFixedIp(null, "10.0.0.77")));
        var taken = ExpectMsg<NetworkingRejected>();
        _network.Tell(PortOn(Privada, fixedIps: new RequestedFixedIp(null, "10.0.0.1")));
        var gateway = ExpectMsg<NetworkingRejected>();
        _network.Tell(PortOn(Privada, fixedIps: new RequestedFixedIp(null, "192.168.0.5")));
        var elsewhere = ExpectMsg<NetworkingRejected>();

        Assert.Equal((409, "IpAddressAlreadyAllocated"), (taken.Code, taken.Type));
        Assert.Equal((409, "IpAddressAlreadyAllocated"), (gateway.Code, gateway.Type));
        Assert.Equal((400, "InvalidIpForNetwork"), (elsewhere.Code, elsewhere.Type));
    }

    [Fact]
    public void A_slash_16_holds_65000_ports_and_a_restart_from_its_snapshot_keeps_every_address_taken()
    {
        Start(snapshotEvery: 5000);
        var (network, _) = NetworkWithSubnet("10.1.0.0/16");
        var clock = Stopwatch.StartNew();
        const int count = 65_000;
        for (var i = 0; i < count; i++) _network.Tell(PortOn(network, $"vm-{i}"));
        var addresses = new HashSet<string>();
        for (var i = 0; i < count; i++)
            addresses.Add(ExpectMsg<PortAnswer>(TimeSpan.FromSeconds(30)).Port.FixedIps[0].IpAddress);
        _output.WriteLine($"{count} ports in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(count, addresses.Count);
        AwaitCondition(() => LatestSnapshotSequenceNr() >= 65_000, TimeSpan.FromSeconds(30));

        clock.Restart();
        Restart(snapshotEvery: 5000);
        var recovered = Ports(new ListPorts(null, NetworkId: network));
        _output.WriteLine($"recovered in {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(count, recovered.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"recovery took {clock.Elapsed}");
        _network.Tell(PortOn(network));
        Assert.DoesNotContain(ExpectMsg<PortAnswer>().Port.FixedIps[0].IpAddress, addresses);
    }

    [Fact]
    public void Networks_subnets_and_ports_come_back_after_a_restart_from_the_journal_alone_and_from_a_snapshot()
    {
        Start(snapshotEvery: 3);
        var (network, subnet) = NetworkWithSubnet("192.168.10.0/24", project: "alt");
        var ports = Enumerable.Range(0, 4).Select(i =>
        {
            _network.Tell(PortOn(network, $"vm-{i}"));
            return ExpectMsg<PortAnswer>().Port;
        }).ToList();
        // A server's port goes with its server, not by itself.
        _network.Tell(new DeletePortRequest(ports[0].Id));
        Assert.Equal(409, ExpectMsg<NetworkingRejected>().Code);
        _network.Tell(new ReleaseDevicePorts(["vm-0"]));
        ExpectMsg<NetworkingDone>();

        Restart(snapshotEvery: 3);

        Assert.Equal(ports.Skip(1).Select(p => p.Id).Order(), Ports(new ListPorts(null, NetworkId: network)).Select(p => p.Id).Order());
        Assert.Contains(Networks("alt").Subnets, s => s.Id == subnet);
        Assert.DoesNotContain(Networks("demo").Networks, n => n.Id == network);
        // Only the snapshot is left to recover from: the same again.
        Persistence.Instance.Apply(Sys).JournalFor(null).Tell(new DeleteMessagesTo("network", LatestSnapshotSequenceNr(), TestActor));
        ExpectMsg<DeleteMessagesSuccess>();
        Restart(snapshotEvery: 3);
        Assert.Equal(3, Ports(new ListPorts(null, NetworkId: network)).Length);
        _network.Tell(PortOn(network));
        Assert.DoesNotContain(ExpectMsg<PortAnswer>().Port.FixedIps[0].IpAddress, ports.Skip(1).Select(p => p.FixedIps[0].IpAddress));
    }

    [Fact]
    public void Releasing_a_device_deletes_the_ports_made_for_it_unbinds_the_one_it_was_given_and_refuses_late_copies_for_it()
    {
        Start();
        var device = Guid.NewGuid().ToString();
        var request = PortOn(Privada, device);
        _network.Tell(request);
        var made = ExpectMsg<PortAnswer>().Port;
        _network.Tell(PortOn(Privada));
        var given = ExpectMsg<PortAnswer>().Port;
        _network.Tell(new BindPortRequest(given.Id, device, "compute:nova"));
        Assert.Equal((device, Port.Active), (ExpectMsg<PortAnswer>().Port.DeviceId, Port.Active));
        _network.Tell(new BindPortRequest(given.Id, Guid.NewGuid().ToString(), "compute:nova"));
        Assert.Equal("PortInUse", ExpectMsg<NetworkingRejected>().Type);

        _network.Tell(new ReleaseDevicePorts([device]));
        ExpectMsg<NetworkingDone>();
        _network.Tell(new ReleaseDevicePorts([device]));
        ExpectMsg<NetworkingDone>();

        Assert.Empty(Ports(new ListPorts(null, PortId: made.Id)));
        var unbound = Assert.Single(Ports(new ListPorts(null, PortId: given.Id)));
        Assert.Equal(("", Port.Down), (unbound.DeviceId, unbound.Status));
        // A copy of the boot's request delivered late (a hand-over's proxy) makes no port for the deleted instance,
        // also after a restart.
        _network.Tell(request);
        Assert.Equal((409, "DeviceReleased"), ExpectMsg<NetworkingRejected>() is var late ? (late.Code, late.Type) : default);
        Restart();
        _network.Tell(new BindPortRequest(given.Id, device, "compute:nova"));
        Assert.Equal("DeviceReleased", ExpectMsg<NetworkingRejected>().Type);
    }

    [Fact]
    public void A_network_or_subnet_with_ports_is_not_deleted_409_and_without_them_it_is()
    {
        Start();
        var (network, subnet) = NetworkWithSubnet("172.16.0.0/28");
        _network.Tell(PortOn(network));
        var port = ExpectMsg<PortAnswer>().Port;

        _network.Tell(new DeleteNetworkRequest(network));
        Assert.Equal((409, "NetworkInUse"), ExpectMsg<NetworkingRejected>() is var n ? (n.Code, n.Type) : default);
        _network.Tell(new DeleteSubnetRequest(subnet));
        Assert.Equal((409, "SubnetInUse"), ExpectMsg<NetworkingRejected>() is var s ? (s.Code, s.Type) : default);

        _network.Tell(new DeletePortRequest(port.Id));
        ExpectMsg<NetworkingDone>();
        _network.Tell(new DeleteNetworkRequest(network));
        ExpectMsg<NetworkingDone>();
        _network.Tell(new DeleteNetworkRequest(network));
        Assert.Equal(404, ExpectMsg<NetworkingRejected>().Code);
        Assert.DoesNotContain(Networks().Subnets, x => x.Id == subnet);
    }

    [Fact]
    public void A_subnet_overlapping_another_of_its_network_is_refused()
    {
        Start();
        var overlapping = new Subnet(Guid.NewGuid().ToString(), "", Privada, "", "10.0.0.128/25", null, [], [], true, "", DateTimeOffset.UtcNow);
        Assert.Null(Subnet.Complete(ref overlapping, gatewayGiven: false));

        _network.Tell(new CreateSubnetRequest(overlapping));

        Assert.Equal(400, ExpectMsg<NetworkingRejected>().Code);
    }

    [Fact]
    public void The_addresses_of_instances_booted_before_the_service_are_adopted_once_and_never_handed_out_again()
    {
        Start();
        var vm = Guid.NewGuid();
        var adopt = new AdoptInstancePorts([new InstanceAddresses(vm, "demo", "nova", [new FixedIp(Privada, "privada", "10.0.0.2", "fa:16:3e:00:00:01")])]);

        _network.Tell(adopt);
        _network.Tell(adopt);

        var port = Assert.Single(Ports(new ListPorts(null, DeviceId: vm.ToString())));
        Assert.Equal((PortIds.ForInstance(vm, 0), "10.0.0.2", "fa:16:3e:00:00:01"), (port.Id, port.FixedIps[0].IpAddress, port.MacAddress));
        _network.Tell(PortOn(Privada));
        Assert.NotEqual("10.0.0.2", ExpectMsg<PortAnswer>().Port.FixedIps[0].IpAddress);
    }

    private long LatestSnapshotSequenceNr()
    {
        var store = Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        store.Tell(new LoadSnapshot("network", SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        return ExpectMsg<LoadSnapshotResult>().Snapshot?.Metadata.SequenceNr ?? 0;
    }

    private readonly ITestOutputHelper _output = output;
}
