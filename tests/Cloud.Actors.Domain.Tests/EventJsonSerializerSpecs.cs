using System.Runtime.Serialization;
using System.Text;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Serialization;
using Xunit;

namespace Cloud.Actors.Domain.Tests;

public sealed class EventJsonSerializerSpecs
{
    private readonly EventJsonSerializer _serializer = new(null!, new DomainManifests());

    public static TheoryData<object> Journaled() =>
    [
        new InstanceAccepted(Given.Spec() with { Image = new InstanceImage("i", "cirros", new Dictionary<string, string> { ["hypervisor_type"] = "qemu" }) }, "compute-1", Given.At(1)),
        new TaskStarted("spawning", Given.At(2)),
        new InstanceSpawned(Given.At(3)),
        new InstanceStopped(4, Given.At(4)),
        new InstanceFailed(new Fault("boom", 500, "details", Given.At(5)), 0, Given.At(5)),
        new InstanceDeleted(Given.At(6)),
        new ConsoleLoginPromptSeen(Given.At(7)),
        Given.Instance("active", null) with { LoginPromptAt = Given.At(7) },
        new InstanceRenamed("renamed", Given.At(7)),
        Given.Instance("active", null) with { LaunchedAt = Given.At(3), Fault = new Fault("f", 500, "d", Given.At(4)) },
        new InstancePaused(Given.At(8)),
        new InstanceUnpaused(Given.At(9)),
        new InstanceSuspended(Given.At(10)),
        new InstanceResumed(Given.At(11)),
        new InstanceRebuildStarted(new InstanceImage("i", "otra <&>", new Dictionary<string, string> { ["os_distro"] = "debian" }), Given.At(12)),
        new InstanceRebuilt(States.PowerState.Shutdown, Given.At(13)),
        new InstanceAssigned(Given.Id, new Resources(1, 512, 1)),
        new InstanceLeft(Given.Id),
        new ComputeServiceStatusChanged(false, "new disks <sda> & \"ñ\"", Given.At(8)),
        new ComputeServiceStatusChanged(true, null, Given.At(9)),
        new ComputeSnapshot([new InstanceAssigned(Given.Id, new Resources(1, 512, 1))], false, "maintenance"),
    ];

    [Theory]
    [MemberData(nameof(Journaled))]
    public void Events_and_states_read_back_as_what_was_written(object journaled)
    {
        var bytes = _serializer.ToBinary(journaled);
        var read = _serializer.FromBinary(bytes, _serializer.Manifest(journaled));

        Assert.IsType(journaled.GetType(), read);
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(_serializer.ToBinary(read)));
    }

    [Fact]
    public void Derived_properties_are_not_stored()
    {
        var json = Encoding.UTF8.GetString(_serializer.ToBinary(Given.Instance("active", null)));

        Assert.DoesNotContain("\"Status\"", json);
        Assert.DoesNotContain("\"InstanceName\"", json);
        Assert.Contains("\"VmState\":\"active\"", json);
    }

    [Fact]
    public void A_state_keeps_when_its_login_prompt_appeared()
    {
        var state = Given.Instance("active", null) with { LoginPromptAt = Given.At(7) };
        var read = (InstanceState)_serializer.FromBinary(_serializer.ToBinary(state), _serializer.Manifest(state));

        Assert.Equal(Given.At(7), read.LoginPromptAt);
    }

    [Fact]
    public void A_state_keeps_its_spec()
    {
        var state = Given.Instance("active", null);
        var read = (InstanceState)_serializer.FromBinary(_serializer.ToBinary(state), _serializer.Manifest(state));

        Assert.Equal(state.Spec.Addresses, read.Spec.Addresses);
        Assert.Equal(state.Spec.Flavor, read.Spec.Flavor);
        Assert.Equal("instance-0000001c", read.Spec.InstanceName);
        Assert.Equal(state with { Spec = read.Spec }, read);
    }

    [Fact]
    public void An_event_is_written_under_its_short_manifest()
    {
        Assert.Equal("instance-spawned", _serializer.Manifest(new InstanceSpawned(Given.At(3))));
        Assert.Equal("compute-snapshot", _serializer.Manifest(new ComputeSnapshot([], true, null)));
        Assert.Equal("instance-state", _serializer.Manifest(Given.Instance("active", null)));
    }

    [Fact]
    public void A_row_written_by_release_064f270_under_its_CLR_name_reads_back()
    {
        // As compute1's journal holds it: serializer 7401, the type's CLR name then as manifest.
        var row = Encoding.UTF8.GetBytes("""{"Task":"rebooting_hard","At":"2026-12-07T15:35:27.5875466+00:00"}""");

        var read = _serializer.FromBinary(row, "Cloud.Actors.Domain.Instances.TaskStarted, Cloud.Actors.Domain");

        Assert.Equal(new TaskStarted("rebooting_hard", DateTimeOffset.Parse("2026-12-07T15:35:27.5875466+00:00")), read);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_by_name()
    {
        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary("{}"u8.ToArray(), "instance-teleported"));

        Assert.Contains("'instance-teleported'", error.Message);
    }

    [Fact]
    public void A_type_without_a_manifest_is_refused_when_written()
    {
        var error = Assert.Throws<SerializationException>(() => _serializer.Manifest(new Fault("f", 500, "d", Given.At(1))));

        Assert.Contains("Fault has no manifest", error.Message);
    }
}
