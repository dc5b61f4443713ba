using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Tests;

public class NetworkSpecs
{
    private static Network Subnet(string cidr) => new("net", "privada", cidr);

    private static HashSet<string> Used(params string[] addresses) => [.. addresses];

    [Fact]
    public void First_address_handed_out_is_dot_two()
    {
        Assert.Equal("10.0.0.2", Subnet("10.0.0.0/24").FirstFreeAddress(Used()));
    }

    [Fact]
    public void Used_addresses_are_skipped()
    {
        Assert.Equal("10.0.0.4", Subnet("10.0.0.0/24").FirstFreeAddress(Used("10.0.0.2", "10.0.0.3")));
    }

    [Fact]
    public void A_released_address_in_a_gap_is_reused_first()
    {
        Assert.Equal("10.0.0.3", Subnet("10.0.0.0/24").FirstFreeAddress(Used("10.0.0.2", "10.0.0.4")));
    }

    [Fact]
    public void Gateway_is_never_handed_out()
    {
        Assert.Equal("10.0.0.2", Subnet("10.0.0.0/24").FirstFreeAddress(Used("10.0.0.1")));
    }

    [Fact]
    public void Slash_30_has_one_address_for_instances()
    {
        Assert.Equal("192.168.5.2", Subnet("192.168.5.0/30").FirstFreeAddress(Used()));
    }

    [Fact]
    public void Full_slash_30_has_no_free_address()
    {
        Assert.Null(Subnet("192.168.5.0/30").FirstFreeAddress(Used("192.168.5.2")));
    }

    [Fact]
    public void Broadcast_address_is_never_handed_out()
    {
        var used = Enumerable.Range(2, 253).Select(i => $"10.0.0.{i}").ToHashSet();

        Assert.Null(Subnet("10.0.0.0/24").FirstFreeAddress(used));
    }

    [Fact]
    public void Addresses_carry_into_the_next_octet()
    {
        var used = Enumerable.Range(2, 254).Select(i => $"172.16.0.{i}").ToHashSet();

        Assert.Equal("172.16.1.0", Subnet("172.16.0.0/16").FirstFreeAddress(used));
    }

    [Fact]
    public void Host_bits_in_the_cidr_are_ignored()
    {
        Assert.Equal("10.0.0.2", Subnet("10.0.0.77/24").FirstFreeAddress(Used()));
    }

    [Fact]
    public void Default_network_is_privada_on_10_0_0_0_24()
    {
        Assert.Equal(("privada", "10.0.0.0/24"), (Network.Privada.Name, Network.Privada.Cidr));
    }

    [Theory]
    [InlineData("10.0.0.0/24")]
    [InlineData("192.168.1.0/30")]
    [InlineData("10.0.0.0/8")]
    [InlineData("172.16.0.0/12")]
    public void Ipv4_cidrs_from_slash_8_to_slash_30_are_valid(string cidr)
    {
        Assert.True(Network.IsValidCidr(cidr));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/x")]
    [InlineData("10.0.0.0/31")]
    [InlineData("10.0.0.0/32")]
    [InlineData("10.0.0.0/7")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("300.0.0.0/24")]
    [InlineData("abc/24")]
    [InlineData("fd00::/64")]
    public void Other_text_is_not_a_valid_cidr(string cidr)
    {
        Assert.False(Network.IsValidCidr(cidr));
    }
}
