using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Controller.Network;

/// <summary>What the network service journals (persistence id "network").</summary>
public interface INetworkEvent;

public sealed record VirtualNetworkCreated(VirtualNetwork Network) : INetworkEvent;

/// <summary>
/// A network journaled before networks had VNIs got this one when the service first recovered it (the lowest free
/// then), journaled so it never changes, whatever order a later recovery finds the networks in.
/// </summary>
public sealed record NetworkSegmentAllocated(string NetworkId, int SegmentationId) : INetworkEvent;

/// <summary>The network and its subnets are gone.</summary>
public sealed record VirtualNetworkDeleted(string NetworkId) : INetworkEvent;

public sealed record SubnetCreated(Subnet Subnet) : INetworkEvent;

public sealed record SubnetDeleted(string SubnetId) : INetworkEvent;

/// <summary>A port with its MAC and fixed IPs: from now on they are taken.</summary>
public sealed record PortCreated(Port Port) : INetworkEvent;

/// <summary>An unbound port was plugged into a device.</summary>
public sealed record PortBound(string PortId, string DeviceId, string DeviceOwner) : INetworkEvent;

/// <summary>The port's device is gone and the port stays (it was given to the boot, not made for it).</summary>
public sealed record PortUnbound(string PortId) : INetworkEvent;

/// <summary>The port is gone: its MAC and fixed IPs are free again.</summary>
public sealed record PortDeleted(string PortId) : INetworkEvent;

/// <summary>
/// The devices (instances) are gone for good: a late copy of a request to make or bind a port for one of them (a
/// hand-over's proxy delivers what it buffered) is refused instead of making a port nobody will release.
/// </summary>
public sealed record DevicesReleased(string[] DeviceIds) : INetworkEvent;

/// <summary>Everything the service holds; the address cursors are derived from the ports.</summary>
public sealed record NetworkSnapshot(VirtualNetwork[] Networks, Subnet[] Subnets, Port[] Ports, string[]? ReleasedDevices = null);
