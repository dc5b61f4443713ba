using Cloud.Actors.Domain.Networking;

namespace Cloud.Actors.Domain.Tests;

/// <summary>Neutron's defaults and checks for a new subnet (<see cref="Subnet.Complete"/>).</summary>
public class SubnetSpecs
{
    private static (Subnet Subnet, string? Error) Completed(string cidr, string? gateway = null, bool gatewayGiven = false, params AllocationPool[] pools)
    {
        var subnet = new Subnet("s", "sub", "n", "p", cidr, gateway, pools, [], true, "", DateTimeOffset.UnixEpoch);
        var error = Subnet.Complete(ref subnet, gatewayGiven);
        return (subnet, error);
    }

    [Fact]
    public void The_gateway_defaults_to_the_first_address_and_the_pool_to_the_rest_but_the_broadcast()
    {
        var (subnet, error) = Completed("10.1.0.0/16");

        Assert.Null(error);
        Assert.Equal("10.1.0.1", subnet.GatewayIp);
        Assert.Equal(new AllocationPool("10.1.0.2", "10.1.255.254"), Assert.Single(subnet.AllocationPools));
    }

    [Theory]
    [InlineData("10.1.0.0", "10.1.0.10")]
    [InlineData("10.1.0.200", "10.1.0.255")]
    public void A_pool_holding_the_network_or_the_broadcast_address_is_refused(string start, string end)
    {
        var (_, error) = Completed("10.1.0.0/24", pools: new AllocationPool(start, end));

        Assert.Equal($"The allocation pool {start}-{end} spans beyond the subnet cidr 10.1.0.0/24.", error);
    }

    [Theory]
    [InlineData("10.1.0.0")]
    [InlineData("10.1.0.255")]
    [InlineData("10.2.0.1")]
    public void A_gateway_on_the_network_or_broadcast_address_or_outside_is_refused(string gateway)
    {
        var (_, error) = Completed("10.1.0.0/24", gateway, gatewayGiven: true);

        Assert.Equal("Invalid input for operation: Gateway is not valid on subnet.", error);
    }

    [Fact]
    public void No_gateway_leaves_every_host_address_to_the_pool()
    {
        var (subnet, error) = Completed("10.1.0.0/24", null, gatewayGiven: true);

        Assert.Null(error);
        Assert.Null(subnet.GatewayIp);
        Assert.Equal(new AllocationPool("10.1.0.1", "10.1.0.254"), Assert.Single(subnet.AllocationPools));
    }
}
