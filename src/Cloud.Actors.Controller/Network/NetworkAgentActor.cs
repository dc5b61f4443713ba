using Akka.Actor;
using Akka.Event;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Controller.Network;

/// <summary>
/// Neutron's DHCP agent and metadata agent on the network node (a controller; one at a time, as a cluster singleton):
/// every <c>interval</c> it reads the networks and ports from the network service and makes each network that has
/// instance ports served: a DHCP server with a static lease per port (<see cref="IDhcpDriver"/>), the subnets' gateway
/// addresses, and a metadata proxy at 169.254.169.254 that answers each guest for itself. A network without instance
/// ports, or deleted, stops being served. A DHCP server that died is started again at the next pass.
/// </summary>
public sealed class NetworkAgentActor : ReceiveActor, IWithTimers
{
    /// <summary>Makes the metadata proxy of a network: (namespace, network id, who asks) to the running proxy.</summary>
    public delegate IAsyncDisposable MetadataProxyFactory(string ns, string networkId, Func<string, string, MetadataRequester?> identify);

    private readonly IActorRef _network;
    private readonly IDhcpDriver _dhcp;
    private readonly MetadataProxyFactory? _metadata;
    private readonly TimeSpan _timeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IAsyncDisposable> _proxies = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<(string Network, string Address), MetadataRequester> _requesters =
        new Dictionary<(string, string), MetadataRequester>();
    private string? _lastError;

    public NetworkAgentActor(IActorRef network, IDhcpDriver dhcp, MetadataProxyFactory? metadata, TimeSpan interval)
    {
        _network = network;
        _dhcp = dhcp;
        _metadata = metadata;
        _timeout = interval * 5 + TimeSpan.FromSeconds(5);

        Become(Idle);
        Timers.StartPeriodicTimer("pass", Tick.Instance, TimeSpan.Zero, interval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef network, IDhcpDriver dhcp, MetadataProxyFactory? metadata, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new NetworkAgentActor(network, dhcp, metadata, interval));

    /// <summary>Who has <paramref name="address"/> on <paramref name="networkId"/>, for the metadata proxies.</summary>
    public MetadataRequester? Identify(string networkId, string address) => _requesters.GetValueOrDefault((networkId, address));

    protected override void PostStop()
    {
        foreach (var proxy in _proxies.Values) proxy.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        _proxies.Clear();
        base.PostStop();
    }

    /// <summary>Waiting for the next pass.</summary>
    private void Idle() => Receive<Tick>(_ => Pass());

    /// <summary>A pass under way: ticks meanwhile are dropped, the pass ends with <see cref="Synced"/>.</summary>
    private void Busy()
    {
        Receive<Tick>(_ => { });
        Receive<Read>(read => Sync(read.Networks, read.Ports.Ports));
        Receive<ProxiesMade>(made =>
        {
            foreach (var (id, proxy) in made.Proxies) _proxies[id] = proxy;
            Done(made.Error);
        });
        Receive<Synced>(synced => Done(synced.Error));
    }

    private void Pass()
    {
        Become(Busy);
        var (network, timeout) = (_network, _timeout);
        Task.Run(async () => new Read(await network.Ask<NetworksAnswer>(new ListNetworks(null), timeout),
                await network.Ask<PortsAnswer>(new ListPorts(null), timeout)))
            .PipeTo(Self, failure: e => new Synced("reading the network service failed: " + e.GetBaseException().Message));
    }

    private void Done(string? error)
    {
        Become(Idle);
        if (error is null)
        {
            if (_lastError is not null) _log.Info("Network agent: every network is served again");
        }
        else if (error != _lastError) _log.Warning("Network agent: {0}; trying again", error);
        _lastError = error;
    }

    /// <summary>What each served network needs, then the devices, dnsmasq and proxies made to match.</summary>
    private void Sync(NetworksAnswer answer, Port[] ports)
    {
        var instancePorts = ports.Where(p => p.DeviceOwner.StartsWith("compute:", StringComparison.Ordinal) && p.DeviceId != "").ToList();
        var served = new List<DhcpNetwork>();
        var requesters = new Dictionary<(string, string), MetadataRequester>();
        foreach (var group in instancePorts.GroupBy(p => p.NetworkId))
        {
            var dhcpSubnets = answer.Subnets
                .Where(s => s.NetworkId == group.Key && s.EnableDhcp && s.GatewayIp is not null)
                .Select(s => new DhcpSubnet(s.Id, s.Cidr, s.GatewayIp!, s.DnsNameservers))
                .ToList();
            if (dhcpSubnets.Count == 0) continue;
            var hosts = new List<DhcpHost>();
            foreach (var port in group)
            {
                foreach (var ip in port.FixedIps.Where(ip => dhcpSubnets.Any(s => s.Id == ip.SubnetId)))
                    hosts.Add(new DhcpHost(port.MacAddress, ip.IpAddress, "host-" + ip.IpAddress.Replace('.', '-')));
                if (Guid.TryParse(port.DeviceId, out var instance))
                    foreach (var ip in port.FixedIps) requesters[(port.NetworkId, ip.IpAddress)] = new MetadataRequester(instance, port.ProjectId);
            }
            served.Add(new DhcpNetwork(group.Key, dhcpSubnets, hosts, answer.Networks.FirstOrDefault(n => n.Id == group.Key)?.SegmentationId));
        }
        _requesters = requesters;

        var (dhcp, metadata, proxies, identify) = (_dhcp, _metadata, _proxies, (Func<string, string, MetadataRequester?>)Identify);
        var wanted = served.Select(n => n.NetworkId).ToHashSet(StringComparer.Ordinal);
        var stale = proxies.Where(kv => !wanted.Contains(kv.Key)).ToList();
        foreach (var (id, _) in stale) proxies.Remove(id);
        var missing = metadata is null ? [] : wanted.Where(id => !proxies.ContainsKey(id)).ToList();
        Task.Run(async () =>
        {
            // The proxies of networks no longer served go first: their namespaces go with the sync.
            foreach (var (_, proxy) in stale) await proxy.DisposeAsync();
            string? error = null;
            try
            {
                await dhcp.SyncAsync(served);
            }
            catch (VifException e)
            {
                // Some network could not be served; the others were, and get their proxies.
                error = e.Message;
            }
            var made = new List<(string, IAsyncDisposable)>();
            foreach (var id in missing)
            {
                try
                {
                    made.Add((id, metadata!(VifNames.DhcpNamespace(id), id, identify)));
                }
                catch (VifException e)
                {
                    error = $"the metadata proxy of network {id} did not start: {e.Message}";
                }
            }
            return new ProxiesMade(made, error);
        }).PipeTo(Self, failure: e => new Synced(e.GetBaseException().Message));
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Read(NetworksAnswer Networks, PortsAnswer Ports);

    private sealed record ProxiesMade(List<(string Id, IAsyncDisposable Proxy)> Proxies, string? Error);

    private sealed record Synced(string? Error);
}
