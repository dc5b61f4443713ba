using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Controller.Network;

/// <summary>
/// The controller's network service, Neutron's server (persistence id "network", one writer as a cluster singleton):
/// networks, subnets and ports, the IPAM that gives ports their MACs and fixed IPs, and the VNI of each network (the
/// lowest free one, as Neutron's type driver allocates from vni_ranges). A change is answered only once
/// it is journaled, so a hand-over right after an answer keeps it. An empty journal starts with the seed's shared
/// <c>privada</c> (10.0.0.0/24, gateway 10.0.0.1).
/// </summary>
public sealed class NetworkActor : ReceivePersistentActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly int _snapshotEvery;
    private readonly Dictionary<string, VirtualNetwork> _networks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubnetAddresses> _subnets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Port> _ports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _portsByDevice = new(StringComparer.Ordinal);
    private readonly HashSet<string> _macs = new(StringComparer.Ordinal);
    // The VNIs of the networks: each network's VXLAN segment between hosts is its own.
    private readonly HashSet<int> _segments = [];
    // Networks recovered without a journaled VNI, given one on replay: journaled once recovery completes.
    private readonly List<string> _segmentsToJournal = [];
    // Devices released for good (deleted instances, refused boots): no port is made or bound for them again.
    private readonly HashSet<string> _released = new(StringComparer.Ordinal);
    // Ports taken in memory whose PortCreated is not journaled yet, with who waits for the answer.
    private readonly Dictionary<string, List<IActorRef>> _portsBeingRecorded = new(StringComparer.Ordinal);
    private int _eventsSinceSnapshot;

    /// <param name="snapshotEvery">Events between snapshots of the whole service.</param>
    public NetworkActor(int snapshotEvery = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(snapshotEvery);
        _snapshotEvery = snapshotEvery;

        Recover<INetworkEvent>(Apply);
        Recover<SnapshotOffer>(o =>
        {
            var s = (NetworkSnapshot)o.Snapshot;
            foreach (var n in s.Networks) Apply(new VirtualNetworkCreated(n));
            foreach (var sub in s.Subnets) Apply(new SubnetCreated(sub));
            foreach (var p in s.Ports) Apply(new PortCreated(p));
            _released.UnionWith(s.ReleasedDevices ?? []);
        });
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<CreateNetworkRequest>(CreateNetwork);
        Command<DeleteNetworkRequest>(DeleteNetwork);
        Command<CreateSubnetRequest>(CreateSubnet);
        Command<DeleteSubnetRequest>(DeleteSubnet);
        Command<CreatePortRequest>(CreatePort);
        Command<BindPortRequest>(BindPort);
        Command<DeletePortRequest>(DeletePort);
        Command<ReleaseDevicePorts>(Release);
        Command<AdoptInstancePorts>(Adopt);
        Command<ListNetworks>(l =>
        {
            var networks = _networks.Values.Where(n => n.VisibleTo(l.ProjectId)).OrderBy(n => n.CreatedAt).ToArray();
            var visible = networks.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
            Sender.Tell(new NetworksAnswer(networks,
                _subnets.Values.Select(s => s.Subnet).Where(s => visible.Contains(s.NetworkId)).OrderBy(s => s.CreatedAt).ToArray()));
        });
        Command<ListPorts>(l => Sender.Tell(new PortsAnswer(Ports(l).ToArray())));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("Network service snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => "network";

    public static Props Props(int snapshotEvery = 1000) => Akka.Actor.Props.Create(() => new NetworkActor(snapshotEvery));

    private void Recovered()
    {
        var unjournaled = _segmentsToJournal.Where(_networks.ContainsKey)
            .Select(id => (INetworkEvent)new NetworkSegmentAllocated(id, _networks[id].SegmentationId!.Value)).ToList();
        _segmentsToJournal.Clear();
        if (unjournaled.Count > 0)
        {
            _log.Info("Network service journals the VNIs of {0} networks made before networks had them", unjournaled.Count);
            PersistAll(unjournaled, Applied);
        }
        if (LastSequenceNr == 0 && _networks.Count == 0)
        {
            var now = DateTimeOffset.UtcNow;
            _log.Info("Network service starts on an empty journal: creating the shared network privada (10.0.0.0/24)");
            PersistAll(new INetworkEvent[] { new VirtualNetworkCreated(VirtualNetwork.Privada(now)), new SubnetCreated(Subnet.Privada(now)) }, Applied);
            return;
        }
        _log.Info("Network service recovered {0} networks, {1} subnets, {2} ports", _networks.Count, _subnets.Count, _ports.Count);
    }

    // ---- networks and subnets --------------------------------------------------------------------------

    private void CreateNetwork(CreateNetworkRequest request)
    {
        if (_networks.TryGetValue(request.Network.Id, out var existing))
        {
            Sender.Tell(Answer(existing));
            return;
        }
        if (FreeSegment() is not { } segment)
        {
            Sender.Tell(new NetworkingRejected(503, "NoNetworkAvailable",
                "Unable to create the network. No tenant network is available for allocation."));
            return;
        }
        var requester = Sender;
        Persist(new VirtualNetworkCreated(request.Network with { SegmentationId = segment }), e =>
        {
            Applied(e);
            _log.Info("Network {0} ({1}) created for project {2}", e.Network.Id, e.Network.Name, e.Network.ProjectId);
            requester.Tell(Answer(e.Network));
        });
    }

    private void DeleteNetwork(DeleteNetworkRequest request)
    {
        if (!_networks.ContainsKey(request.NetworkId))
        {
            Sender.Tell(NetworkNotFound(request.NetworkId));
            return;
        }
        if (_ports.Values.Any(p => p.NetworkId == request.NetworkId))
        {
            Sender.Tell(new NetworkingRejected(409, "NetworkInUse",
                $"Unable to complete operation on network {request.NetworkId}. There are one or more ports still in use on the network."));
            return;
        }
        var requester = Sender;
        Persist(new VirtualNetworkDeleted(request.NetworkId), e =>
        {
            Applied(e);
            _log.Info("Network {0} deleted", e.NetworkId);
            requester.Tell(NetworkingDone.Instance);
        });
    }

    private void CreateSubnet(CreateSubnetRequest request)
    {
        var subnet = request.Subnet;
        if (_subnets.TryGetValue(subnet.Id, out var existing))
        {
            Sender.Tell(new SubnetAnswer(existing.Subnet));
            return;
        }
        if (!_networks.ContainsKey(subnet.NetworkId))
        {
            Sender.Tell(NetworkNotFound(subnet.NetworkId));
            return;
        }
        var added = new SubnetAddresses(subnet);
        if (SubnetsOf(subnet.NetworkId).FirstOrDefault(s => s.Contains(added.Network) || added.Contains(s.Network)) is { } overlapping)
        {
            Sender.Tell(new NetworkingRejected(400, "InvalidInput",
                $"Invalid input for operation: Requested subnet with cidr: {subnet.Cidr} for network: {subnet.NetworkId} overlaps with another subnet ({overlapping.Subnet.Id})."));
            return;
        }
        var requester = Sender;
        Persist(new SubnetCreated(subnet), e =>
        {
            Applied(e);
            _log.Info("Subnet {0} ({1}) created on network {2}", e.Subnet.Id, e.Subnet.Cidr, e.Subnet.NetworkId);
            requester.Tell(new SubnetAnswer(e.Subnet));
        });
    }

    private void DeleteSubnet(DeleteSubnetRequest request)
    {
        if (!_subnets.ContainsKey(request.SubnetId))
        {
            Sender.Tell(new NetworkingRejected(404, "SubnetNotFound", $"Subnet {request.SubnetId} could not be found."));
            return;
        }
        if (_ports.Values.Any(p => p.FixedIps.Any(ip => ip.SubnetId == request.SubnetId)))
        {
            Sender.Tell(new NetworkingRejected(409, "SubnetInUse",
                $"Unable to complete operation on subnet {request.SubnetId}: One or more ports have an IP allocation from this subnet."));
            return;
        }
        var requester = Sender;
        Persist(new SubnetDeleted(request.SubnetId), e =>
        {
            Applied(e);
            requester.Tell(NetworkingDone.Instance);
        });
    }

    // ---- ports -------------------------------------------------------------------------------------------

    /// <summary>
    /// A new port's MAC and addresses are taken in memory at once, so the next request (from any sender) never gets
    /// them, and the answer waits for the journal. A copy of the request answers the same port.
    /// </summary>
    private void CreatePort(CreatePortRequest request)
    {
        if (_ports.TryGetValue(request.Id, out var existing))
        {
            if (_portsBeingRecorded.TryGetValue(request.Id, out var waiting)) waiting.Add(Sender);
            else Sender.Tell(new PortAnswer(existing));
            return;
        }
        if (!_networks.ContainsKey(request.NetworkId))
        {
            Sender.Tell(NetworkNotFound(request.NetworkId));
            return;
        }
        if (_released.Contains(request.DeviceId))
        {
            _log.Info("Port {0} asked for device {1}, which was released: not making it", request.Id, request.DeviceId);
            Sender.Tell(DeviceReleased(request.DeviceId));
            return;
        }
        var mac = request.MacAddress?.ToLowerInvariant();
        if (mac is not null && _macs.Contains(mac))
        {
            Sender.Tell(new NetworkingRejected(409, "MacAddressInUse",
                $"Unable to complete operation for network {request.NetworkId}. The mac address {mac} is in use."));
            return;
        }
        var fixedIps = Allocate(request);
        if (fixedIps.Rejected is { } rejected)
        {
            Sender.Tell(rejected);
            return;
        }
        while (mac is null || _macs.Contains(mac)) mac = Mac.Random();
        var port = new Port(request.Id, request.Name, request.NetworkId, request.ProjectId, mac, fixedIps.Ips!,
            request.DeviceId, request.DeviceOwner, StatusOf(request.DeviceId), request.AdminStateUp, "", request.At,
            request.CreatedForDevice);
        var created = new PortCreated(port);
        Apply(created);
        _portsBeingRecorded[port.Id] = [Sender];
        PersistAsync(created, e =>
        {
            // Its device may have been released while the port was being written: the port went with it.
            object answer = _ports.TryGetValue(e.Port.Id, out var current) ? new PortAnswer(current) : DeviceReleased(e.Port.DeviceId);
            if (_portsBeingRecorded.Remove(e.Port.Id, out var requesters))
                foreach (var requester in requesters) requester.Tell(answer);
            Snapshotted();
        });
    }

    /// <summary>
    /// A port the journal refused (PersistAsync: applied before the write) is undone in memory, so its address and
    /// MAC are free again, and the requests waiting for it are told.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        if (@event is not PortCreated created || !_ports.ContainsKey(created.Port.Id)) return;
        Applied(new PortDeleted(created.Port.Id));
        if (_portsBeingRecorded.Remove(created.Port.Id, out var requesters))
            foreach (var requester in requesters)
                requester.Tell(new NetworkingRejected(500, "InternalError", $"Port {created.Port.Id} could not be recorded: {cause.Message}"));
    }

    private (PortFixedIp[]? Ips, NetworkingRejected? Rejected) Allocate(CreatePortRequest request)
    {
        var subnets = SubnetsOf(request.NetworkId).ToList();
        if (request.FixedIps.Length == 0)
        {
            // Neutron's default: one address from the first subnet of the network that has one free.
            if (subnets.Count == 0) return ([], null);
            foreach (var s in subnets)
                if (s.NextFree() is { } free)
                    return ([new PortFixedIp(s.Subnet.Id, Ipv4.Text(free))], null);
            return (null, new NetworkingRejected(409, "IpAddressGenerationFailure",
                $"No more IP addresses available on network {request.NetworkId}."));
        }
        var taken = new List<(SubnetAddresses Subnet, uint Address)>();
        foreach (var asked in request.FixedIps)
        {
            SubnetAddresses? subnet = null;
            if (asked.SubnetId is not null)
            {
                subnet = subnets.FirstOrDefault(s => s.Subnet.Id == asked.SubnetId);
                if (subnet is null)
                    return (null, new NetworkingRejected(400, "InvalidInput",
                        $"Invalid input for operation: Failed to create port on network {request.NetworkId}, because fixed_ips included invalid subnet {asked.SubnetId}."));
            }
            if (asked.IpAddress is null)
            {
                if (subnet is null)
                    return (null, new NetworkingRejected(400, "InvalidInput",
                        "Invalid input for fixed_ips. Reason: each entry needs a subnet_id or an ip_address."));
                var free = subnet.NextFree();
                while (free is { } f && taken.Contains((subnet, f))) free = null; // two asks of one subnet: rare, and refused rather than rescanned
                if (free is null)
                    return (null, new NetworkingRejected(409, "IpAddressGenerationFailure", $"No more IP addresses available for subnet {subnet.Subnet.Id}."));
                taken.Add((subnet, free.Value));
                continue;
            }
            if (!Ipv4.TryParse(asked.IpAddress, out var address))
                return (null, new NetworkingRejected(400, "InvalidInput", $"Invalid input for operation: IP address {asked.IpAddress} is not a valid IP address."));
            subnet ??= subnets.FirstOrDefault(s => s.Contains(address));
            if (subnet is null || !subnet.Contains(address))
                return (null, new NetworkingRejected(400, "InvalidIpForNetwork",
                    $"IP address {asked.IpAddress} is not a valid IP for any of the subnets on the specified network."));
            if (!subnet.IsFree(address) || taken.Contains((subnet, address)))
                return (null, new NetworkingRejected(409, "IpAddressAlreadyAllocated",
                    $"IP address {asked.IpAddress} already allocated in subnet {subnet.Subnet.Id}"));
            taken.Add((subnet, address));
        }
        return (taken.Select(t => new PortFixedIp(t.Subnet.Subnet.Id, Ipv4.Text(t.Address))).ToArray(), null);
    }

    private void BindPort(BindPortRequest request)
    {
        if (!_ports.TryGetValue(request.PortId, out var port))
        {
            Sender.Tell(PortNotFound(request.PortId));
            return;
        }
        if (port.DeviceId == request.DeviceId)
        {
            Sender.Tell(new PortAnswer(port));
            return;
        }
        if (_released.Contains(request.DeviceId))
        {
            Sender.Tell(DeviceReleased(request.DeviceId));
            return;
        }
        if (port.DeviceId != "")
        {
            Sender.Tell(new NetworkingRejected(409, "PortInUse",
                $"Unable to complete operation on port {port.Id} for network {port.NetworkId}. Port already has an attached device {port.DeviceId}."));
            return;
        }
        var requester = Sender;
        Persist(new PortBound(request.PortId, request.DeviceId, request.DeviceOwner), e =>
        {
            Applied(e);
            requester.Tell(new PortAnswer(_ports[e.PortId]));
        });
    }

    private void DeletePort(DeletePortRequest request)
    {
        if (!_ports.TryGetValue(request.PortId, out var port))
        {
            Sender.Tell(PortNotFound(request.PortId));
            return;
        }
        if (port.DeviceId != "" && port.DeviceOwner.StartsWith("compute:", StringComparison.Ordinal))
        {
            // The server keeps the address in its record (nova show, its guest): detaching an interface is not
            // supported here, so the port goes with the server.
            Sender.Tell(new NetworkingRejected(409, "PortInUse",
                $"Unable to complete operation on port {port.Id} for network {port.NetworkId}. Port already has an attached device {port.DeviceId}; delete the server."));
            return;
        }
        var requester = Sender;
        Persist(new PortDeleted(request.PortId), e =>
        {
            Applied(e);
            requester.Tell(NetworkingDone.Instance);
        });
    }

    /// <summary>
    /// The devices are gone: the ports made for them go, the ones they were given stay, unbound (as Nova does), and
    /// the devices are remembered so no late copy of a request makes them a port again.
    /// </summary>
    private void Release(ReleaseDevicePorts request)
    {
        var events = request.DeviceIds
            .SelectMany(d => _portsByDevice.GetValueOrDefault(d) ?? [])
            .Distinct()
            .Select(id => _ports[id])
            .Select(p => p.CreatedForDevice ? (INetworkEvent)new PortDeleted(p.Id) : new PortUnbound(p.Id))
            .ToList();
        var fresh = request.DeviceIds.Where(d => d != "" && !_released.Contains(d)).Distinct().ToArray();
        if (fresh.Length > 0) events.Add(new DevicesReleased(fresh));
        var requester = Sender;
        if (events.Count == 0)
        {
            requester.Tell(NetworkingDone.Instance);
            return;
        }
        PersistAll(events, Applied);
        DeferAsync(NetworkingDone.Instance, done =>
        {
            _log.Info("Released the port(s) of {0} removed device(s)", request.DeviceIds.Length);
            requester.Tell(done);
        });
    }

    /// <summary>Ports for the addresses of instances booted before this service existed, taken as they are.</summary>
    private void Adopt(AdoptInstancePorts adopt)
    {
        var events = new List<INetworkEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instance in adopt.Instances)
        {
            var device = instance.InstanceId.ToString();
            if (_portsByDevice.ContainsKey(device) || _released.Contains(device)) continue;
            for (var nic = 0; nic < instance.Addresses.Length; nic++)
            {
                var ip = instance.Addresses[nic];
                var subnet = SubnetsOf(ip.NetworkId).FirstOrDefault(s => Ipv4.TryParse(ip.Address, out var a) && s.Contains(a));
                var mac = ip.Mac.ToLowerInvariant();
                if (subnet is null || !Ipv4.TryParse(ip.Address, out var address) || !subnet.IsFree(address) || _macs.Contains(mac) || !seen.Add(ip.Address) || !seen.Add(mac))
                {
                    _log.Warning("Instance {0}: its address {1} ({2}) on network {3} cannot be adopted (unknown network, or taken)", device, ip.Address, mac, ip.NetworkId);
                    continue;
                }
                events.Add(new PortCreated(new Port(PortIds.ForInstance(instance.InstanceId, nic), "", ip.NetworkId, instance.ProjectId, mac,
                    [new PortFixedIp(subnet.Subnet.Id, ip.Address)], device, $"compute:{(instance.AvailabilityZone is "" ? "nova" : instance.AvailabilityZone)}", Port.Active, true, "",
                    DateTimeOffset.UtcNow, CreatedForDevice: true)));
            }
        }
        if (events.Count == 0) return;
        _log.Info("Adopting {0} address(es) of instances booted before the network service", events.Count);
        PersistAll(events, Applied);
    }

    private IEnumerable<Port> Ports(ListPorts l)
    {
        IEnumerable<Port> ports = l.DeviceId is not null
            ? (_portsByDevice.GetValueOrDefault(l.DeviceId) ?? []).Select(id => _ports[id])
            : l.PortId is not null ? _ports.TryGetValue(l.PortId, out var one) ? [one] : []
            : _ports.Values;
        return ports.Where(p => !_portsBeingRecorded.ContainsKey(p.Id)
                                && (l.ProjectId is null || p.ProjectId == l.ProjectId)
                                && (l.NetworkId is null || p.NetworkId == l.NetworkId)
                                && (l.PortId is null || p.Id == l.PortId)
                                && (l.IpAddress is null || p.FixedIps.Any(ip => ip.IpAddress == l.IpAddress))
                                && (l.SubnetId is null || p.FixedIps.Any(ip => ip.SubnetId == l.SubnetId)))
            .OrderBy(p => p.CreatedAt);
    }

    // ---- state -------------------------------------------------------------------------------------------

    private void Applied(INetworkEvent e)
    {
        Apply(e);
        Snapshotted();
    }

    private void Apply(INetworkEvent e)
    {
        switch (e)
        {
            case VirtualNetworkCreated c:
                // A network journaled before VNIs gets the lowest free one as it is replayed, journaled at the end of recovery.
                var network = c.Network;
                if (network.SegmentationId is null)
                {
                    network = network with { SegmentationId = FreeSegment() };
                    _segmentsToJournal.Add(network.Id);
                }
                _networks[network.Id] = network;
                if (network.SegmentationId is { } vni) _segments.Add(vni);
                break;
            case NetworkSegmentAllocated a:
                _segmentsToJournal.Remove(a.NetworkId);
                if (_networks.TryGetValue(a.NetworkId, out var segmented) && segmented.SegmentationId != a.SegmentationId)
                {
                    if (segmented.SegmentationId is { } old) _segments.Remove(old);
                    _networks[a.NetworkId] = segmented with { SegmentationId = a.SegmentationId };
                    _segments.Add(a.SegmentationId);
                }
                break;
            case VirtualNetworkDeleted d:
                if (_networks.Remove(d.NetworkId, out var deleted) && deleted.SegmentationId is { } freed) _segments.Remove(freed);
                foreach (var s in SubnetsOf(d.NetworkId).ToList()) _subnets.Remove(s.Subnet.Id);
                break;
            case SubnetCreated c: _subnets[c.Subnet.Id] = new SubnetAddresses(c.Subnet); break;
            case SubnetDeleted d: _subnets.Remove(d.SubnetId); break;
            case PortCreated c:
                _ports[c.Port.Id] = c.Port;
                _macs.Add(c.Port.MacAddress);
                foreach (var ip in c.Port.FixedIps)
                    if (_subnets.TryGetValue(ip.SubnetId, out var s) && Ipv4.TryParse(ip.IpAddress, out var a)) s.Take(a);
                Index(c.Port);
                break;
            case PortBound b:
                if (!_ports.TryGetValue(b.PortId, out var unbound)) break;
                Unindex(unbound);
                _ports[b.PortId] = unbound with { DeviceId = b.DeviceId, DeviceOwner = b.DeviceOwner, Status = StatusOf(b.DeviceId) };
                Index(_ports[b.PortId]);
                break;
            case PortUnbound u:
                if (!_ports.TryGetValue(u.PortId, out var bound)) break;
                Unindex(bound);
                _ports[u.PortId] = bound with { DeviceId = "", DeviceOwner = "", Status = Port.Down };
                break;
            case DevicesReleased r: _released.UnionWith(r.DeviceIds); break;
            case PortDeleted d:
                if (!_ports.Remove(d.PortId, out var gone)) break;
                _macs.Remove(gone.MacAddress);
                foreach (var ip in gone.FixedIps)
                    if (_subnets.TryGetValue(ip.SubnetId, out var s) && Ipv4.TryParse(ip.IpAddress, out var a)) s.Release(a);
                Unindex(gone);
                break;
        }
    }

    private void Index(Port port)
    {
        if (port.DeviceId == "") return;
        if (!_portsByDevice.TryGetValue(port.DeviceId, out var set)) _portsByDevice[port.DeviceId] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(port.Id);
    }

    private void Unindex(Port port)
    {
        if (port.DeviceId == "" || !_portsByDevice.TryGetValue(port.DeviceId, out var set)) return;
        set.Remove(port.Id);
        if (set.Count == 0) _portsByDevice.Remove(port.DeviceId);
    }

    private IEnumerable<SubnetAddresses> SubnetsOf(string networkId) =>
        _subnets.Values.Where(s => s.Subnet.NetworkId == networkId).OrderBy(s => s.Subnet.CreatedAt);

    private int? FreeSegment()
    {
        for (var vni = 1; vni <= VirtualNetwork.MaxSegmentationId; vni++)
            if (!_segments.Contains(vni)) return vni;
        return null;
    }

    private NetworkAnswer Answer(VirtualNetwork network) =>
        new(network, SubnetsOf(network.Id).Select(s => s.Subnet.Id).ToArray());

    /// <summary>No L2 agent binds ports yet: a port plugged into a device is ACTIVE, one that is not is DOWN.</summary>
    private static string StatusOf(string deviceId) => deviceId == "" ? Port.Down : Port.Active;

    private static NetworkingRejected NetworkNotFound(string id) => new(404, "NetworkNotFound", $"Network {id} could not be found.");

    private static NetworkingRejected DeviceReleased(string device) =>
        new(409, "DeviceReleased", $"Instance {device} was deleted: no port is made or bound for it.");

    private static NetworkingRejected PortNotFound(string id) => new(404, "PortNotFound", $"Port {id} could not be found.");

    private void Snapshotted()
    {
        if (++_eventsSinceSnapshot < _snapshotEvery) return;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(new NetworkSnapshot(_networks.Values.ToArray(), _subnets.Values.Select(s => s.Subnet).ToArray(),
            _ports.Values.Where(p => !_portsBeingRecorded.ContainsKey(p.Id)).ToArray(), _released.ToArray()));
    }
}
