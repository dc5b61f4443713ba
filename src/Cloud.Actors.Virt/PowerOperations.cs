using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Virt;

/// <summary>Power sequences built from the driver's primitives, as Nova's libvirt driver composes them.</summary>
public static class PowerOperations
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>ACPI shutdown, wait up to <paramref name="timeout"/> for the guest to go down, then destroy it.</summary>
    public static async Task PowerOffAsync(this IHypervisor hv, string name, TimeSpan timeout, CancellationToken ct = default)
    {
        if (await hv.GetPowerStateAsync(name, ct) != PowerState.Running) return;
        try
        {
            await hv.ShutdownAsync(name, ct);
        }
        catch (HypervisorException)
        {
            // The guest may have gone down between the check and the request; the wait below tells.
        }
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await hv.GetPowerStateAsync(name, ct) != PowerState.Running) return;
            await Task.Delay(Poll, ct);
        }
        await hv.DestroyAsync(name, ct);
    }

    /// <summary>Nova's hard reboot: destroy whatever runs, then start from the definition.</summary>
    public static async Task HardRebootAsync(this IHypervisor hv, string name, CancellationToken ct = default)
    {
        await hv.DestroyAsync(name, ct);
        await hv.StartAsync(name, ct);
    }

    /// <summary>Removes a guest entirely; a guest that does not exist is already removed.</summary>
    public static async Task RemoveAsync(this IHypervisor hv, string name, CancellationToken ct = default)
    {
        if (await hv.GetPowerStateAsync(name, ct) is null) return;
        await hv.DestroyAsync(name, ct);
        await hv.UndefineAsync(name, ct);
    }
}
