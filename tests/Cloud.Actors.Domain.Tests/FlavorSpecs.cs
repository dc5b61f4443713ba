using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Domain.Tests;

public class FlavorSpecs
{
    [Fact]
    public void Resources_of_a_flavor_count_root_and_ephemeral_disk()
    {
        var flavor = new Flavor("9", "custom", 1024, 2, 10, EphemeralGb: 5);

        Assert.Equal(new Resources(2, 1024, 15), flavor.Resources);
    }

    [Fact]
    public void Classic_flavors_are_novas_five()
    {
        Assert.Equal(["m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"], Flavor.Classic.Select(f => f.Name));
        Assert.Equal(new Flavor("1", "m1.tiny", 512, 1, 1), Flavor.Classic[0]);
    }
}
