using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt.Fake;

namespace Cloud.Actors.Virt.Tests;

/// <summary>With a StatePath the fake keeps its guests across process restarts, as libvirt does.</summary>
public sealed class FakeHypervisorDurabilitySpecs : IDisposable
{
    private static readonly GuestDefinition Guest = new("instance-0000001c", Guid.Parse("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"), "test.novalocal", 512, 1, 1);
    private static readonly GuestDefinition Other = new("instance-0000001d", Guid.Parse("ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee"), "test.novalocal", 512, 1, 1);

    private readonly string _directory = Directory.CreateTempSubdirectory("fake-hypervisor-").FullName;

    private string StatePath => Path.Combine(_directory, "guests.json");

    private FakeHypervisor Open() => new(new FakeHypervisorOptions { StatePath = StatePath });

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task New_hypervisor_over_the_same_file_sees_the_same_guests_and_states()
    {
        using (var before = Open())
        {
            await before.DefineAsync(Guest);
            await before.StartAsync(Guest.Name);
            await before.DefineAsync(Other);
        }

        using var after = Open();

        Assert.Equal(
        [
            new GuestInfo(Guest.Name, Guest.Uuid, PowerState.Running),
            new GuestInfo(Other.Name, Other.Uuid, PowerState.Shutdown),
        ], await after.ListAsync());
    }

    [Fact]
    public async Task Power_changes_are_persisted()
    {
        using (var before = Open())
        {
            await before.DefineAsync(Guest);
            await before.StartAsync(Guest.Name);
            before.SimulateGuestPowerOff(Guest.Name);
        }

        using var after = Open();

        Assert.Equal(PowerState.Shutdown, await after.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Undefined_guest_stays_gone()
    {
        using (var before = Open())
        {
            await before.DefineAsync(Guest);
            await before.UndefineAsync(Guest.Name);
        }

        using var after = Open();

        Assert.Empty(await after.ListAsync());
    }

    [Fact]
    public async Task Reopened_guest_keeps_its_rules()
    {
        using (var before = Open())
        {
            await before.DefineAsync(Guest);
            await before.StartAsync(Guest.Name);
        }

        using var after = Open();

        await Assert.ThrowsAsync<HypervisorException>(() => after.StartAsync(Guest.Name));
        await after.ShutdownAsync(Guest.Name);
        Assert.Equal(PowerState.Shutdown, await after.GetPowerStateAsync(Guest.Name));
    }

    [Fact]
    public async Task Missing_state_file_means_no_guests()
    {
        using var hypervisor = Open();

        Assert.Empty(await hypervisor.ListAsync());
        Assert.False(File.Exists(StatePath));
    }
}
