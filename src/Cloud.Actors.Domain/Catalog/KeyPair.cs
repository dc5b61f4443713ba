using System.Security.Cryptography;
using System.Text;

namespace Cloud.Actors.Domain.Catalog;

/// <summary>An SSH key pair as Nova keeps it: the public half and its MD5 fingerprint, owned by a user.</summary>
public sealed record KeyPair(string Name, string UserId, string PublicKey, string Fingerprint, string Type, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// Nova's fingerprint: MD5 of the base64-decoded key blob, as colon-separated hex.
    /// Returns null when the text is not an OpenSSH public key.
    /// </summary>
    public static string? FingerprintOf(string publicKey)
    {
        var parts = publicKey.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !parts[0].StartsWith("ssh-", StringComparison.Ordinal) && !parts[0].StartsWith("ecdsa-", StringComparison.Ordinal))
            return null;
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[1]); }
        catch (FormatException) { return null; }
        if (blob.Length < 4) return null;
        var hash = MD5.HashData(blob);
        return string.Join(':', hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Generates an RSA key pair: the OpenSSH public line and the PEM private key.</summary>
    public static (string PublicKey, string PrivateKeyPem) Generate(string comment)
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        using var blob = new MemoryStream();
        WriteSshString(blob, Encoding.ASCII.GetBytes("ssh-rsa"));
        WriteSshMpint(blob, p.Exponent!);
        WriteSshMpint(blob, p.Modulus!);
        var pub = $"ssh-rsa {Convert.ToBase64String(blob.ToArray())} {comment}";
        return (pub, rsa.ExportRSAPrivateKeyPem());
    }

    private static void WriteSshString(Stream s, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        s.Write(data);
    }

    private static void WriteSshMpint(Stream s, byte[] unsignedBigEndian)
    {
        var data = unsignedBigEndian.Length > 0 && (unsignedBigEndian[0] & 0x80) != 0
            ? [0, .. unsignedBigEndian]
            : unsignedBigEndian;
        WriteSshString(s, data);
    }
}
