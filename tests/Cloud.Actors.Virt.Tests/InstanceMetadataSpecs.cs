using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Tests;

public sealed class InstanceMetadataSpecs
{
    private static readonly Guid Uuid = Guid.Parse("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2");

    [Fact]
    public void Full_hostname_is_in_novalocal()
    {
        var metadata = new InstanceMetadata { Uuid = Uuid, Name = "test2", InstanceNumber = 28 };

        Assert.Equal("test2.novalocal", metadata.Hostname);
        Assert.Equal("i-0000001c", metadata.Ec2InstanceId);
    }
}
