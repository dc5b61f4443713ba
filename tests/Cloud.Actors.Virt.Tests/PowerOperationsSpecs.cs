using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt;

namespace Cloud.Actors.Virt.Tests;

/// <summary>The power sequences composed from driver primitives, against a guest that ignores early ACPI presses.</summary>
public sealed class PowerOperationsSpecs
{
    [Fact]
    public async Task Power_off_presses_the_button_again_when_the_guest_missed_the_first_press()
    {
        var guest = new DeafGuest(ignoredPresses: 1);

        await guest.PowerOffAsync("instance-00000001", TimeSpan.FromSeconds(10));

        Assert.Equal(2, guest.Presses);
        Assert.False(guest.Destroyed);
        Assert.Equal(PowerState.Shutdown, guest.Power);
    }

    [Fact]
    public async Task Power_off_destroys_a_guest_that_never_goes_down()
    {
        var guest = new DeafGuest(ignoredPresses: int.MaxValue);

        await guest.PowerOffAsync("instance-00000001", TimeSpan.FromSeconds(1));

        Assert.True(guest.Destroyed);
        Assert.Equal(PowerState.Shutdown, guest.Power);
    }

    [Fact]
    public async Task A_soft_reboot_shuts_the_guest_down_and_starts_it_again()
    {
        var guest = new DeafGuest(ignoredPresses: 0);

        await guest.SoftRebootAsync("instance-00000001", TimeSpan.FromSeconds(5));

        Assert.Equal(1, guest.Starts);
        Assert.False(guest.Destroyed);
        Assert.Equal(PowerState.Running, guest.Power);
    }

    [Fact]
    public async Task A_soft_reboot_fails_when_the_guest_does_not_go_down_so_the_caller_can_reboot_hard()
    {
        var guest = new DeafGuest(ignoredPresses: int.MaxValue);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => guest.SoftRebootAsync("instance-00000001", TimeSpan.FromSeconds(1)));

        Assert.Contains("did not shut down", error.Message);
        Assert.Equal(0, guest.Starts);
    }

    /// <summary>One running guest that drops its first <c>ignoredPresses</c> power-button presses, as a guest still booting does.</summary>
    private sealed class DeafGuest(int ignoredPresses) : IHypervisor
    {
        public int Presses { get; private set; }
        public int Starts { get; private set; }
        public bool Destroyed { get; private set; }
        public int Power { get; private set; } = PowerState.Running;

        public string HypervisorType => "deaf";
        public HostResources Resources => new("deaf", 1, 1024, 10);
        public event Action<GuestLifecycleEvent>? LifecycleChanged { add { } remove { } }

        public Task ShutdownAsync(string name, CancellationToken ct = default)
        {
            if (++Presses > ignoredPresses) Power = PowerState.Shutdown;
            return Task.CompletedTask;
        }

        public Task DestroyAsync(string name, CancellationToken ct = default)
        {
            Destroyed = true;
            Power = PowerState.Shutdown;
            return Task.CompletedTask;
        }

        public Task StartAsync(string name, CancellationToken ct = default)
        {
            Starts++;
            Power = PowerState.Running;
            return Task.CompletedTask;
        }

        public Task<int?> GetPowerStateAsync(string name, CancellationToken ct = default) => Task.FromResult<int?>(Power);

        public Task DefineAsync(GuestDefinition guest, CancellationToken ct = default) => throw new NotSupportedException();
        public Task PauseAsync(string name, CancellationToken ct = default) => throw new NotSupportedException();
        public Task UnpauseAsync(string name, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SuspendAsync(string name, CancellationToken ct = default) => throw new NotSupportedException();
        public Task DiscardSavedStateAsync(string name, CancellationToken ct = default) => Task.CompletedTask;
        public Task UndefineAsync(string name, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<GuestInfo>> ListAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<string> GetConsoleOutputAsync(string name, CancellationToken ct = default) => throw new NotSupportedException();
        public void Dispose() { }
    }
}
