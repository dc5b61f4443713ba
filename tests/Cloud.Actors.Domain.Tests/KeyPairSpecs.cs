using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Tests;

public class KeyPairSpecs
{
    // Generated with `ssh-keygen -t ed25519 -C test@cloud`; `ssh-keygen -l -E md5` printed the fingerprint.
    private const string Ed25519Key =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK+OUBw8EOJ95h7yJwVBMur8ptQwZMfOrq1yYdojeYeP test@cloud";

    private const string Ed25519Fingerprint = "83:22:b9:ca:f9:52:96:ee:cc:17:17:26:ca:6f:50:9e";

    // Generated with `ssh-keygen -t rsa -b 1024 -C rsa@cloud`.
    private const string RsaKey =
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC46LSfAnYK/h6dXWuOFOEoTBIVJJI4j9/BZ3X/xJ/a3AcV8Z1ESGL1/AsKLMO/owVYO3ci5mtkrCPDRf7L89D+48meUNe1ZeL0/WIu8XendoRIkiDJ9jXDgi6kd5xyp15qvoxM4ne2g2RJ8flNy9kVmnimMV26gkhachvXg7zKIw== rsa@cloud";

    private const string RsaFingerprint = "3d:eb:4b:c7:b1:35:63:97:0c:31:f4:26:1b:f7:04:8d";

    [Fact]
    public void Fingerprint_of_an_ed25519_key_matches_ssh_keygen()
    {
        Assert.Equal(Ed25519Fingerprint, KeyPair.FingerprintOf(Ed25519Key));
    }

    [Fact]
    public void Fingerprint_of_an_rsa_key_matches_ssh_keygen()
    {
        Assert.Equal(RsaFingerprint, KeyPair.FingerprintOf(RsaKey));
    }

    [Fact]
    public void Fingerprint_ignores_surrounding_whitespace_and_a_missing_comment()
    {
        var bare = "  " + string.Join(' ', Ed25519Key.Split(' ').Take(2)) + "\n";

        Assert.Equal(Ed25519Fingerprint, KeyPair.FingerprintOf(bare));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a key")]
    [InlineData("ssh-rsa")]
    [InlineData("ssh-rsa !!!not-base64!!! comment")]
    [InlineData("ssh-rsa AAA= comment")]
    [InlineData("rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC46LSf comment")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----")]
    public void Text_that_is_not_an_openssh_public_key_has_no_fingerprint(string text)
    {
        Assert.Null(KeyPair.FingerprintOf(text));
    }

    [Fact]
    public void Generated_public_key_is_an_openssh_rsa_line_with_the_comment()
    {
        var (publicKey, _) = KeyPair.Generate("vm-key");

        var parts = publicKey.Split(' ');
        Assert.Equal(3, parts.Length);
        Assert.Equal("ssh-rsa", parts[0]);
        Assert.Equal("vm-key", parts[2]);
    }

    [Fact]
    public void Generated_public_key_encodes_the_private_keys_exponent_and_modulus()
    {
        var (publicKey, privatePem) = KeyPair.Generate("vm-key");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privatePem);
        var expected = rsa.ExportParameters(false);

        var blob = Convert.FromBase64String(publicKey.Split(' ')[1]);
        var offset = 0;
        Assert.Equal("ssh-rsa", Encoding.ASCII.GetString(ReadSshString(blob, ref offset)));
        Assert.Equal(expected.Exponent, TrimSignByte(ReadSshString(blob, ref offset)));
        Assert.Equal(expected.Modulus, TrimSignByte(ReadSshString(blob, ref offset)));
        Assert.Equal(blob.Length, offset);
    }

    [Fact]
    public void Generated_key_is_2048_bits()
    {
        var (_, privatePem) = KeyPair.Generate("vm-key");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privatePem);

        Assert.Equal(2048, rsa.KeySize);
    }

    [Fact]
    public void Fingerprint_of_a_generated_key_is_the_md5_of_its_blob()
    {
        var (publicKey, _) = KeyPair.Generate("vm-key");
        var blob = Convert.FromBase64String(publicKey.Split(' ')[1]);
        var expected = string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2")));

        Assert.Equal(expected, KeyPair.FingerprintOf(publicKey));
    }

    private static byte[] ReadSshString(byte[] blob, ref int offset)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(blob.AsSpan(offset));
        var value = blob.AsSpan(offset + 4, length).ToArray();
        offset += 4 + length;
        return value;
    }

    /// <summary>An SSH mpint carries a leading zero when its top bit is set; RSAParameters do not.</summary>
    private static byte[] TrimSignByte(byte[] mpint)
    {
        Assert.False(mpint.Length > 0 && (mpint[0] & 0x80) != 0, "mpint must not read as negative");
        return mpint.Length > 1 && mpint[0] == 0 ? mpint[1..] : mpint;
    }
}
