using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cloud.Actors.Domain.Networking;

/// <summary>IPv4 addresses as numbers, and CIDRs as Neutron reads them (the address must be the network's own).</summary>
public static class Ipv4
{
    public static bool TryParse(string? text, out uint value)
    {
        value = 0;
        if (text is null || text.Count(c => c == '.') != 3 || !IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
            return false;
        var b = ip.GetAddressBytes();
        value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        return true;
    }

    public static string Text(uint v) => $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";

    /// <summary>A CIDR "a.b.c.d/n" whose address is the network's (no host bits set); null with the reason otherwise.</summary>
    public static (uint Base, int Prefix)? ParseCidr(string? cidr, out string? error)
    {
        error = null;
        var slash = cidr?.IndexOf('/') ?? -1;
        if (cidr is null || slash < 0 || !TryParse(cidr[..slash], out var value)
            || !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            error = $"'{cidr}' is not a valid IP subnet.";
            return null;
        }
        var mask = Mask(prefix);
        if ((value & mask) != value)
        {
            error = $"'{cidr}' isn't a recognized IP subnet cidr, '{Text(value & mask)}/{prefix}' is recommended";
            return null;
        }
        return (value, prefix);
    }

    public static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    /// <summary>The last address of the subnet (its broadcast address).</summary>
    public static uint Last(uint network, int prefix) => network | ~Mask(prefix);
}
