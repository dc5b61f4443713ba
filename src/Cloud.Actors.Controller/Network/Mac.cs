using System.Security.Cryptography;

namespace Cloud.Actors.Controller.Network;

/// <summary>MAC addresses as Neutron's default base_mac fa:16:3e:00:00:00 hands them out.</summary>
public static class Mac
{
    public static string Random()
    {
        Span<byte> b = stackalloc byte[3];
        RandomNumberGenerator.Fill(b);
        return $"fa:16:3e:{b[0]:x2}:{b[1]:x2}:{b[2]:x2}";
    }
}
