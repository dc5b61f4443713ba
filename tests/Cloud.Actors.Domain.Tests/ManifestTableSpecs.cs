using System.Runtime.Serialization;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Serialization;
using Xunit;

namespace Cloud.Actors.Domain.Tests;

public sealed class ManifestTableSpecs
{
    [Fact]
    public void Two_types_cannot_share_a_manifest()
    {
        var error = Assert.Throws<ArgumentException>(() => new Table().With<InstanceSpawned>("spawned").With<InstanceStarted>("spawned"));

        Assert.Contains("'spawned'", error.Message);
    }

    [Fact]
    public void A_type_cannot_have_two_manifests()
    {
        Assert.Throws<ArgumentException>(() => new Table().With<InstanceSpawned>("spawned").With<InstanceSpawned>("spawned-again"));
    }

    [Fact]
    public void A_former_manifest_cannot_be_another_types_manifest()
    {
        Assert.Throws<ArgumentException>(() => new Table().With<InstanceSpawned>("spawned").With<InstanceStarted>("started", "spawned"));
    }

    [Fact]
    public void Combined_tables_keep_every_manifest_and_former_manifest()
    {
        var combined = ManifestTable.Combine([new Table().With<InstanceSpawned>("spawned", "Old.Spawned"), new Table().With<InstanceLeft>("left")]);

        Assert.Equal("spawned", combined.Manifests[typeof(InstanceSpawned)]);
        Assert.Equal(typeof(InstanceSpawned), combined.Types["Old.Spawned"]);
        Assert.Equal(typeof(InstanceLeft), combined.Types["left"]);
    }

    [Fact]
    public void Combined_tables_refuse_a_manifest_both_declare()
    {
        Assert.Throws<ArgumentException>(() =>
            ManifestTable.Combine([new Table().With<InstanceSpawned>("spawned"), new Table().With<InstanceLeft>("spawned")]));
    }

    [Fact]
    public void Loading_refuses_a_name_that_is_no_table()
    {
        var error = Assert.Throws<SerializationException>(() => ManifestTable.Load(["Cloud.Actors.Domain.Instances.InstanceState, Cloud.Actors.Domain"]));

        Assert.Contains("InstanceState", error.Message);
    }

    [Fact]
    public void The_domain_table_loads_by_its_name()
    {
        var table = ManifestTable.Load(["Cloud.Actors.Domain.Serialization.DomainManifests, Cloud.Actors.Domain"]);

        Assert.Equal("instance-spawned", table.Manifests[typeof(InstanceSpawned)]);
        Assert.Equal("msg-build-instance", table.Manifests[typeof(Messages.BuildInstance)]);
    }

    private sealed class Table : ManifestTable
    {
        public Table With<T>(string manifest, params string[] formerly)
        {
            Add<T>(manifest, formerly);
            return this;
        }
    }
}
