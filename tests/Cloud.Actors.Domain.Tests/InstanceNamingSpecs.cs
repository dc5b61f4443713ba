using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Domain.Tests;

public class InstanceNamingSpecs
{
    [Fact]
    public void Host_id_equals_pythons_sha224_of_project_and_host()
    {
        // python3 -c "import hashlib; print(hashlib.sha224(('demo-project'+'compute-1').encode()).hexdigest())"
        Assert.Equal("bac9d8689a8d237ce152d0ab5c7cec46b7879442f77fd76ad655d3d7", InstanceNaming.HostId("demo-project", "compute-1"));
    }

    [Fact]
    public void Host_id_of_a_realistic_project_uuid_matches_python()
    {
        // python3 -c "import hashlib; print(hashlib.sha224(('8c7b5e7a1f2d4c3b9a0e6f1d2c3b4a59'+'compute-1').encode()).hexdigest())"
        Assert.Equal("bafb4aad861ce824d97a7c7c978019553ab7fe8129dbb0bb45041641",
            InstanceNaming.HostId("8c7b5e7a1f2d4c3b9a0e6f1d2c3b4a59", "compute-1"));
    }

    [Fact]
    public void Host_id_is_utf8_encoded()
    {
        // python3 -c "import hashlib; print(hashlib.sha224(('proyecto-ñ'+'host').encode()).hexdigest())"
        Assert.Equal("44a4eded59b81510b31eaedd328ec9b29f74530885a098d4c5f78c6c", InstanceNaming.HostId("proyecto-ñ", "host"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Host_id_is_empty_without_a_host(string? host)
    {
        Assert.Equal("", InstanceNaming.HostId("demo-project", host));
    }

    [Theory]
    [InlineData(0x1c, "instance-0000001c")]
    [InlineData(1, "instance-00000001")]
    [InlineData(0xabcdef12, "instance-abcdef12")]
    public void Domain_name_is_instance_and_eight_hex_digits(long number, string expected)
    {
        Assert.Equal(expected, InstanceNaming.DomainName(number));
    }

    [Fact]
    public void Instance_name_of_a_spec_is_its_domain_name()
    {
        Assert.Equal("instance-0000001c", Given.Spec().InstanceName);
    }
}
