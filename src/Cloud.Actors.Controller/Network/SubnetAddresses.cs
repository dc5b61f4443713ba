using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Controller.Network;

/// <summary>
/// The IPAM of one subnet: which of its addresses are taken, and where the next search for a free one starts (just
/// after the last one taken), so a large subnet is not rescanned from its start on every allocation.
/// </summary>
public sealed class SubnetAddresses
{
    private readonly (uint Start, uint End)[] _pools;
    private readonly HashSet<uint> _used = [];
    private readonly ulong _size;
    private ulong _cursor;

    public SubnetAddresses(Subnet subnet)
    {
        Subnet = subnet;
        var cidr = Ipv4.ParseCidr(subnet.Cidr, out var error) ?? throw new ArgumentException(error, nameof(subnet));
        Network = cidr.Base;
        Broadcast = Ipv4.Last(cidr.Base, cidr.Prefix);
        Prefix = cidr.Prefix;
        _pools = subnet.AllocationPools.Select(p =>
        {
            Ipv4.TryParse(p.Start, out var s);
            Ipv4.TryParse(p.End, out var e);
            return (s, e);
        }).ToArray();
        _size = _pools.Aggregate(0ul, (n, p) => n + (p.End - p.Start + 1));
        Gateway = subnet.GatewayIp is not null && Ipv4.TryParse(subnet.GatewayIp, out var g) ? g : null;
    }

    public Subnet Subnet { get; }
    public uint Network { get; }
    public uint Broadcast { get; }
    public int Prefix { get; }
    public uint? Gateway { get; }
    public int Taken => _used.Count;

    public bool Contains(uint address) => (address & Ipv4.Mask(Prefix)) == Network;

    /// <summary>Why <paramref name="address"/> cannot be asked for here, or null when it is free.</summary>
    public bool IsFree(uint address) =>
        Contains(address) && !_used.Contains(address) && address != Gateway
        && (Prefix >= 31 || (address != Network && address != Broadcast));

    /// <summary>The first free address of the pools from the cursor on, wrapping once; null when the pools are full.</summary>
    public uint? NextFree()
    {
        if (_size == 0) return null;
        for (ulong i = 0; i < _size; i++)
        {
            var candidate = At((_cursor + i) % _size);
            if (!_used.Contains(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Takes the address; one of the pools moves the cursor just past it.</summary>
    public void Take(uint address)
    {
        _used.Add(address);
        if (IndexOf(address) is { } index) _cursor = (index + 1) % _size;
    }

    public void Release(uint address) => _used.Remove(address);

    private uint At(ulong index)
    {
        foreach (var (start, end) in _pools)
        {
            var length = (ulong)(end - start) + 1;
            if (index < length) return start + (uint)index;
            index -= length;
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    private ulong? IndexOf(uint address)
    {
        ulong offset = 0;
        foreach (var (start, end) in _pools)
        {
            if (address >= start && address <= end) return offset + (address - start);
            offset += (ulong)(end - start) + 1;
        }
        return null;
    }
}
