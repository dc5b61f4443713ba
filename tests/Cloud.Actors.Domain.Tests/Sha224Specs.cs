using System.Text;
using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Domain.Tests;

/// <summary>SHA-224 against FIPS 180-4 vectors and python's hashlib.</summary>
public class Sha224Specs
{
    private static string Hex(string text) => Convert.ToHexStringLower(Sha224.Hash(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Empty_message_hashes_to_the_known_digest()
    {
        Assert.Equal("d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f", Hex(""));
    }

    [Fact]
    public void Abc_hashes_to_the_known_digest()
    {
        Assert.Equal("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", Hex("abc"));
    }

    [Fact]
    public void Two_block_fips_vector_hashes_to_the_known_digest()
    {
        Assert.Equal("75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525",
            Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    }

    // Lengths either side of where the padding spills into a second block.
    [Theory]
    [InlineData(55, "fb0bd626a70c28541dfa781bb5cc4d7d7f56622a58f01a0b1ddd646f")]
    [InlineData(56, "d40854fc9caf172067136f2e29e1380b14626bf6f0dd06779f820dcd")]
    [InlineData(63, "1d4e051f4d6fed2a63fd2421e65834cec00d64456553de3496ae8b1d")]
    [InlineData(64, "a88cd5cde6d6fe9136a4e58b49167461ea95d388ca2bdb7afdc3cbf4")]
    [InlineData(1_000_000, "20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67")]
    public void Messages_at_padding_boundaries_hash_like_hashlib(int length, string expected)
    {
        Assert.Equal(expected, Hex(new string('a', length)));
    }

    [Fact]
    public void Digest_is_28_bytes()
    {
        Assert.Equal(28, Sha224.Hash("x"u8).Length);
    }
}
