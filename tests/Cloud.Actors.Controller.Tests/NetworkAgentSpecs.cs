using System.Collections.Concurrent;
using Akka.Actor;
using Cloud.Actors.Controller.Network;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Networking;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

/// <summary>
/// The network agent's decisions, with the network service played by a probe and the devices recorded: which networks
/// get a DHCP server and a metadata proxy, what each serves, who a proxy says is asking, and what stops being served.
/// </summary>
public sealed class NetworkAgentSpecs(ITestOutputHelper output) : ControllerSpec(output)
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    private sealed class RecordingDhcp : IDhcpDriver
    {
        public volatile IReadOnlyList<DhcpNetwork> Served = [];

        public Task SyncAsync(IReadOnlyList<DhcpNetwork> networks, CancellationToken ct = default)
        {
            Served = networks;
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingProxy(string network, ConcurrentDictionary<string, Func<string, string, MetadataRequester?>> running) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            running.TryRemove(network, out _);
            return ValueTask.CompletedTask;
        }
    }

    private static Subnet SubnetOf(string network, string cidr, string? gateway, bool dhcp = true) =>
        new($"sub-{network}", "", network, "p1", cidr, gateway, [], [], dhcp, "", At);

    private static Port PortOf(string id, string network, string address, string device, string owner = "compute:nova") =>
        new(id, "", network, "p1", $"fa:16:3e:00:00:{int.Parse(address.Split('.')[3]):x2}", [new PortFixedIp($"sub-{network}", address)], device, owner, Port.Active, true, "", At);

    [Fact]
    public void Networks_with_instance_ports_are_served_with_a_lease_per_port_and_a_proxy_that_knows_who_asks()
    {
        var network = CreateTestProbe();
        var dhcp = new RecordingDhcp();
        var proxies = new ConcurrentDictionary<string, Func<string, string, MetadataRequester?>>();
        Sys.ActorOf(NetworkAgentActor.Props(network.Ref, dhcp, (_, id, identify) =>
        {
            proxies[id] = identify;
            return new RecordingProxy(id, proxies);
        }, TimeSpan.FromMilliseconds(100)));
        var (vm1, vm2) = (Guid.NewGuid(), Guid.NewGuid());
        var subnets = new[]
        {
            SubnetOf("net-a", "10.0.0.0/24", "10.0.0.1"),
            SubnetOf("net-b", "10.1.0.0/24", "10.1.0.1"),
            SubnetOf("net-nodhcp", "10.2.0.0/24", "10.2.0.1", dhcp: false),
            SubnetOf("net-empty", "10.3.0.0/24", "10.3.0.1"),
        };
        Port[] ports =
        [
            PortOf("p-1", "net-a", "10.0.0.5", vm1.ToString()),
            PortOf("p-2", "net-b", "10.1.0.7", vm2.ToString()),
            PortOf("p-3", "net-nodhcp", "10.2.0.9", vm2.ToString()),
            // Not an instance's: a router's port, and a port bound to nothing.
            PortOf("p-4", "net-empty", "10.3.0.4", "router-1", "network:router_interface"),
            PortOf("p-5", "net-empty", "10.3.0.5", ""),
        ];
        void AnswerReads(Port[] current)
        {
            network.ExpectMsg<ListNetworks>();
            network.Reply(new NetworksAnswer([], subnets));
            network.ExpectMsg<ListPorts>();
            network.Reply(new PortsAnswer(current));
        }

        AnswerReads(ports);
        AwaitAssert(() => Assert.Equal(["net-a", "net-b"], dhcp.Served.Select(n => n.NetworkId).Order()));
        var a = dhcp.Served.Single(n => n.NetworkId == "net-a");
        Assert.Equal([new DhcpHost("fa:16:3e:00:00:05", "10.0.0.5", "host-10-0-0-5")], a.Hosts);
        Assert.Equal("10.0.0.1", Assert.Single(a.Subnets).GatewayIp);
        AwaitAssert(() => Assert.Equal(["net-a", "net-b"], proxies.Keys.Order()));
        // The proxy of a network tells guests apart by address, and only on its own network.
        Assert.Equal(new MetadataRequester(vm1, "p1"), proxies["net-a"]("net-a", "10.0.0.5"));
        Assert.Null(proxies["net-a"]("net-a", "10.0.0.99"));
        Assert.Null(proxies["net-a"]("net-a", "10.1.0.7"));

        // vm2 is deleted: its network is no longer served, its proxy goes.
        AnswerReads([ports[0], ports[3], ports[4]]);
        AwaitAssert(() => Assert.Equal(["net-a"], dhcp.Served.Select(n => n.NetworkId)));
        AwaitAssert(() => Assert.Equal(["net-a"], proxies.Keys));
    }
}
