using System.Security.Cryptography;
using System.Text;

namespace Cloud.Actors.Domain.Catalog;

/// <summary>
/// A key pair as Nova keeps it, owned by a user: an SSH public key with its MD5 fingerprint, or (type x509) a PEM
/// certificate with its SHA-1 fingerprint.
/// </summary>
public sealed record KeyPair(string Name, string UserId, string PublicKey, string Fingerprint, string Type, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// Nova's fingerprint: MD5 of the base64-decoded key blob, as colon-separated hex. Returns null when the text is
    /// not an OpenSSH public key: a known type whose blob names that same type and holds exactly its fields (what
    /// Nova's cryptography-based check refuses too: a blob of random bytes, or another type's).
    /// </summary>
    public static string? FingerprintOf(string publicKey)
    {
        var parts = publicKey.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !SshFields.TryGetValue(parts[0], out var fields)) return null;
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[1]); }
        catch (FormatException) { return null; }
        var reader = new SshBlob(blob);
        if (reader.String() is not { } type || Encoding.ASCII.GetString(type) != parts[0]) return null;
        for (var i = 0; i < fields; i++)
            if (reader.String() is null) return null;
        if (!reader.AtEnd) return null;
        var hash = MD5.HashData(blob);
        return string.Join(':', hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Nova's x509 key pair fingerprint: SHA-1 of a PEM certificate's DER, as colon-separated hex; null when the text is
    /// not one certificate.
    /// </summary>
    public static string? X509FingerprintOf(string certificatePem)
    {
        try
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificatePem);
            return string.Join(':', SHA1.HashData(certificate.RawData).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The OpenSSH key types, each with how many fields follow the type in its blob.</summary>
    private static readonly Dictionary<string, int> SshFields = new(StringComparer.Ordinal)
    {
        ["ssh-rsa"] = 2, // e, n
        ["ssh-dss"] = 4, // p, q, g, y
        ["ssh-ed25519"] = 1, // the key
        ["ecdsa-sha2-nistp256"] = 2, // curve, point
        ["ecdsa-sha2-nistp384"] = 2,
        ["ecdsa-sha2-nistp521"] = 2,
        ["sk-ssh-ed25519@openssh.com"] = 2, // key, application
        ["sk-ecdsa-sha2-nistp256@openssh.com"] = 3, // curve, point, application
    };

    /// <summary>Reads an SSH wire-format blob: strings, each a big-endian length and that many bytes.</summary>
    private sealed class SshBlob(byte[] data)
    {
        private int _at;

        public bool AtEnd => _at == data.Length;

        public byte[]? String()
        {
            if (data.Length - _at < 4) return null;
            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_at, 4));
            if (length == 0 || length > data.Length - _at - 4) return null;
            var value = data.AsSpan(_at + 4, (int)length).ToArray();
            _at += 4 + (int)length;
            return value;
        }
    }

    /// <summary>
    /// Generates an x509 key pair as Nova does for type x509 without a certificate: an RSA key and a self-signed
    /// certificate for it (CN=<paramref name="name"/>, ten years), as PEM.
    /// </summary>
    public static (string CertificatePem, string PrivateKeyPem) GenerateCertificate(string name)
    {
        using var rsa = RSA.Create(2048);
        var subject = new System.Security.Cryptography.X509Certificates.X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
        return (certificate.ExportCertificatePem(), rsa.ExportRSAPrivateKeyPem());
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
