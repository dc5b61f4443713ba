using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Virt;

/// <summary>Power sequences built from the driver's primitives, as Nova's libvirt driver composes them.</summary>
public static class PowerOperations
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often the ACPI power button is pressed again while waiting (Nova's SHUTDOWN_RETRY_INTERVAL is 10 s). A guest
    /// still booting has no handler for the button yet and drops the press: ours is deaf for its first ~3.5 s on TCG.
    /// </summary>
    public static readonly TimeSpan ShutdownRetryInterval = TimeSpan.FromSeconds(3);

    /// <summary>ACPI shutdown, wait up to <paramref name="timeout"/> for the guest to go down, then destroy it.</summary>
    public static async Task PowerOffAsync(this IHypervisor hv, string name, TimeSpan timeout, CancellationToken ct = default)
    {
        if (await CleanShutdownAsync(hv, name, timeout, ct)) return;
        await hv.DestroyAsync(name, ct);
    }

    /// <summary>
    /// Nova's _soft_reboot: the guest shuts itself down (ACPI) and is started again from its definition. A guest that
    /// does not go down within <paramref name="timeout"/> fails the soft reboot; the caller falls back to a hard one.
    /// </summary>
    public static async Task SoftRebootAsync(this IHypervisor hv, string name, TimeSpan timeout, CancellationToken ct = default)
    {
        if (await hv.GetPowerStateAsync(name, ct) != PowerState.Running)
            throw new HypervisorException($"'{name}' is not running, so it cannot be soft rebooted");
        if (!await CleanShutdownAsync(hv, name, timeout, ct))
            throw new HypervisorException($"'{name}' did not shut down within {timeout.TotalSeconds:0} s of the ACPI request");
        await hv.StartAsync(name, ct);
    }

    /// <summary>
    /// Nova's hard reboot: destroy whatever runs, then boot from the definition; a suspended guest's saved memory is
    /// discarded, so it boots afresh rather than resuming (Nova undefines and defines the domain again).
    /// </summary>
    public static async Task HardRebootAsync(this IHypervisor hv, string name, CancellationToken ct = default)
    {
        await hv.DestroyAsync(name, ct);
        await hv.DiscardSavedStateAsync(name, ct);
        await hv.StartAsync(name, ct);
    }

    /// <summary>Removes a guest entirely; a guest that does not exist is already removed.</summary>
    public static async Task RemoveAsync(this IHypervisor hv, string name, CancellationToken ct = default)
    {
        if (await hv.GetPowerStateAsync(name, ct) is null) return;
        await hv.DestroyAsync(name, ct);
        await hv.UndefineAsync(name, ct);
    }

    /// <summary>
    /// Nova's _clean_shutdown: presses the power button, again every <see cref="ShutdownRetryInterval"/>, until the guest
    /// is no longer running or <paramref name="timeout"/> has passed. True when it went down (or was not running).
    /// </summary>
    private static async Task<bool> CleanShutdownAsync(IHypervisor hv, string name, TimeSpan timeout, CancellationToken ct)
    {
        if (await hv.GetPowerStateAsync(name, ct) != PowerState.Running) return true;
        var deadline = DateTime.UtcNow + timeout;
        var nextPress = DateTime.MinValue;
        while (DateTime.UtcNow < deadline)
        {
            if (DateTime.UtcNow >= nextPress)
            {
                try
                {
                    await hv.ShutdownAsync(name, ct);
                }
                catch (HypervisorException)
                {
                    // The guest may have gone down between the check and the request; the state read below tells.
                }
                nextPress = DateTime.UtcNow + ShutdownRetryInterval;
            }
            await Task.Delay(Poll, ct);
            if (await hv.GetPowerStateAsync(name, ct) != PowerState.Running) return true;
        }
        return false;
    }
}
