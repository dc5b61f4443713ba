using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Tests;

public sealed class InstanceMetadataSpecs
{
    private static readonly Guid Uuid = Guid.Parse("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2");

    [Theory]
    [InlineData("test2", "test2")]
    [InlineData("My Server_1.prod", "my-server-1-prod")]
    [InlineData("web#01!", "web01")]
    [InlineData("-edge-", "edge")]
    [InlineData("Niño", "niño")]
    public void Hostname_is_the_sanitized_name(string name, string hostname)
    {
        Assert.Equal(hostname, InstanceMetadata.SanitizeHostname(name, Uuid));
    }

    [Fact]
    public void Name_with_no_usable_character_gets_a_server_hostname()
    {
        Assert.Equal("Server-f69ab4d9-ed28-406e-8a78-67f62a5e4bc2", InstanceMetadata.SanitizeHostname("名前", Uuid));
    }

    [Fact]
    public void Hostname_is_at_most_63_characters()
    {
        Assert.Equal(63, InstanceMetadata.SanitizeHostname(new string('a', 100), Uuid).Length);
    }

    [Fact]
    public void Full_hostname_is_in_novalocal()
    {
        var metadata = new InstanceMetadata { Uuid = Uuid, Name = "test2", InstanceNumber = 28 };

        Assert.Equal("test2.novalocal", metadata.Hostname);
        Assert.Equal("i-0000001c", metadata.Ec2InstanceId);
    }
}
