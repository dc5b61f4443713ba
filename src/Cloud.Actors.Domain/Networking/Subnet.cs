using System.Security.Cryptography;
using System.Text;

namespace Cloud.Actors.Domain.Networking;

/// <summary>An inclusive range of addresses fixed IPs are taken from.</summary>
public sealed record AllocationPool(string Start, string End);

/// <summary>An IPv4 subnet of a network: its CIDR, gateway (null: none), allocation pools and DNS servers.</summary>
public sealed record Subnet(
    string Id,
    string Name,
    string NetworkId,
    string ProjectId,
    string Cidr,
    string? GatewayIp,
    AllocationPool[] AllocationPools,
    string[] DnsNameservers,
    bool EnableDhcp,
    string Description,
    DateTimeOffset CreatedAt)
{
    /// <summary>privada's subnet; its id is the one the read-only API of earlier releases derived from the network's.</summary>
    public static Subnet Privada(DateTimeOffset at) => new(
        new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"subnet/{Catalog.Network.Privada.Id}"))).ToString(),
        "privada-subnet", Catalog.Network.Privada.Id, "", Catalog.Network.Privada.Cidr, "10.0.0.1",
        [new AllocationPool("10.0.0.2", "10.0.0.254")], [], true, "", at);

    /// <summary>
    /// Neutron's defaults and checks for a new subnet: the gateway defaults to the first address, the pool to every
    /// address but the network, gateway and broadcast ones; pools must lie inside the CIDR, not overlap, and not hold
    /// the gateway. Returns the error (naming the field) or null.
    /// </summary>
    public static string? Complete(ref Subnet subnet, bool gatewayGiven)
    {
        var cidr = Ipv4.ParseCidr(subnet.Cidr, out var error);
        if (cidr is not { } c) return $"Invalid input for cidr. Reason: {error}";
        var first = c.Prefix >= 31 ? c.Base : c.Base + 1;
        var last = c.Prefix >= 31 ? Ipv4.Last(c.Base, c.Prefix) : Ipv4.Last(c.Base, c.Prefix) - 1;
        uint? gateway = null;
        if (!gatewayGiven) gateway = first;
        else if (subnet.GatewayIp is not null)
        {
            if (!Ipv4.TryParse(subnet.GatewayIp, out var g)) return $"Invalid input for gateway_ip. Reason: '{subnet.GatewayIp}' is not a valid IP address.";
            // Neutron's check_gateway_invalid_in_subnet: inside the CIDR, and not its network or broadcast address.
            if (g < first || g > last) return $"Invalid input for operation: Gateway is not valid on subnet.";
            gateway = g;
        }
        var pools = new List<(uint Start, uint End)>();
        if (subnet.AllocationPools.Length == 0)
        {
            // Neutron's default pool: the usable range minus the gateway, in one or two pieces.
            if (gateway is { } gw && gw >= first && gw <= last)
            {
                if (gw > first) pools.Add((first, gw - 1));
                if (gw < last) pools.Add((gw + 1, last));
            }
            else pools.Add((first, last));
        }
        else
        {
            foreach (var p in subnet.AllocationPools)
            {
                if (!Ipv4.TryParse(p.Start, out var s) || !Ipv4.TryParse(p.End, out var e) || s > e)
                    return $"Invalid input for allocation_pools. Reason: '{p.Start}-{p.End}' is not a valid IP range.";
                // Neutron: a pool holds neither the network nor the broadcast address.
                if (s < first || e > last)
                    return $"The allocation pool {p.Start}-{p.End} spans beyond the subnet cidr {subnet.Cidr}.";
                if (pools.Any(o => s <= o.End && o.Start <= e))
                    return $"Found overlapping allocation pools: {p.Start}-{p.End} overlaps another pool.";
                if (gateway is { } gw && gw >= s && gw <= e)
                    return $"Gateway ip {Ipv4.Text(gw)} conflicts with allocation pool {p.Start}-{p.End}";
                pools.Add((s, e));
            }
        }
        if (pools.Count == 0) return $"Invalid input for cidr. Reason: {subnet.Cidr} has no address to allocate.";
        foreach (var dns in subnet.DnsNameservers)
            if (!Ipv4.TryParse(dns, out _)) return $"Invalid input for dns_nameservers. Reason: '{dns}' is not a valid nameserver.";
        subnet = subnet with
        {
            GatewayIp = gateway is { } value ? Ipv4.Text(value) : null,
            AllocationPools = pools.OrderBy(p => p.Start).Select(p => new AllocationPool(Ipv4.Text(p.Start), Ipv4.Text(p.End))).ToArray(),
        };
        return null;
    }

    public bool Contains(uint address) =>
        Ipv4.ParseCidr(Cidr, out _) is { } c && (address & Ipv4.Mask(c.Prefix)) == c.Base;
}
