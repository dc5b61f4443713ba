using System.Net;

namespace Cloud.Actors.Domain.Catalog;

/// <summary>A tenant network with an IPv4 subnet; fixed IPs are handed out from it, gateway first.</summary>
public sealed record Network(string Id, string Name, string Cidr)
{
    /// <summary>The network every fresh catalog starts with (the seed's "privada").</summary>
    public static readonly Network Privada = new("0d43e5fe-99b9-46a8-b118-58136aa805b4", "privada", "10.0.0.0/24");

    /// <summary>
    /// The first address of the subnet not in <paramref name="used"/>, skipping the network address,
    /// the gateway (.1, as Neutron's default) and the broadcast address. Null when the subnet is full.
    /// </summary>
    public string? FirstFreeAddress(IReadOnlySet<string> used)
    {
        uint cursor = 0;
        return NextFreeAddress(used, ref cursor);
    }

    /// <summary>
    /// Like <see cref="FirstFreeAddress"/>, but scanning from <paramref name="cursor"/> (the offset after the last
    /// address handed out) and wrapping once, so a large subnet is not rescanned from the start on every boot.
    /// </summary>
    public string? NextFreeAddress(IReadOnlySet<string> used, ref uint cursor)
    {
        var (baseAddress, prefix) = Parse(Cidr);
        var size = 1u << (32 - prefix);
        const uint first = 2;
        var last = size - 2;
        var count = last - first + 1;
        var start = cursor is >= first && cursor <= last ? cursor : first;
        for (uint i = 0; i < count; i++)
        {
            var offset = first + (start - first + i) % count;
            var candidate = ToText(baseAddress + offset);
            if (used.Contains(candidate)) continue;
            cursor = offset + 1;
            return candidate;
        }
        return null;
    }

    public static bool IsValidCidr(string cidr)
    {
        try { Parse(cidr); return true; }
        catch (FormatException) { return false; }
    }

    private static (uint Base, int Prefix) Parse(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(cidr[(slash + 1)..], out var prefix) || prefix is < 8 or > 30)
            throw new FormatException($"'{cidr}' is not an IPv4 CIDR between /8 and /30");
        var bytes = ip.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        return (value & mask, prefix);
    }

    private static string ToText(uint v) => $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";
}
