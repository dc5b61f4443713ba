using System.Collections.Concurrent;
using System.Text.Json;
using Cloud.Actors.Domain.States;

namespace Cloud.Actors.Virt.Fake;

/// <summary>
/// An in-memory hypervisor with real semantics (define before start, unknown guests are errors),
/// injectable latency and failures, and optional durability across process restarts. For scale tests
/// and machines without libvirt, after nova/virt/fake.py.
/// </summary>
public sealed class FakeHypervisor : IHypervisor
{
    private readonly FakeHypervisorOptions _options;
    private readonly ConcurrentDictionary<string, FakeGuest> _guests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Operation, string Name), string> _failures = new();
    private readonly Lock _saveLock = new();

    public FakeHypervisor(FakeHypervisorOptions? options = null)
    {
        _options = options ?? new FakeHypervisorOptions();
        Resources = new HostResources(_options.Hostname, _options.Vcpus, _options.MemoryMb, _options.DiskGb);
        Load();
    }

    public string HypervisorType => "fake";
    public HostResources Resources { get; }
    public event Action<GuestLifecycleEvent>? LifecycleChanged;

    /// <summary>Makes the next <paramref name="operation"/> ("define", "start", ...) on <paramref name="name"/> fail; "*" matches any guest.</summary>
    public void FailNext(string operation, string name, string message = "injected failure") =>
        _failures[(operation, name)] = message;

    /// <summary>The guest powers itself off, as a guest OS running `poweroff` would.</summary>
    public void SimulateGuestPowerOff(string name) => SetPower(name, PowerState.Shutdown);

    public async Task DefineAsync(GuestDefinition guest, CancellationToken ct = default)
    {
        await Step("define", guest.Name, ct);
        _guests.AddOrUpdate(guest.Name, _ => new FakeGuest(guest, PowerState.Shutdown, ""), (_, g) => g with { Definition = guest });
        Save();
    }

    public async Task StartAsync(string name, CancellationToken ct = default)
    {
        await Step("start", name, ct);
        var guest = Get(name);
        if (guest.PowerState == PowerState.Running)
            throw new HypervisorException($"Requested operation is not valid: domain '{name}' is already running");
        SetPower(name, PowerState.Running);
    }

    public async Task ShutdownAsync(string name, CancellationToken ct = default)
    {
        await Step("shutdown", name, ct);
        var guest = Get(name);
        if (guest.PowerState != PowerState.Running)
            throw new HypervisorException($"Requested operation is not valid: domain '{name}' is not running");
        SetPower(name, PowerState.Shutdown);
    }

    public async Task DestroyAsync(string name, CancellationToken ct = default)
    {
        await Step("destroy", name, ct);
        Get(name);
        SetPower(name, PowerState.Shutdown);
    }

    public async Task PauseAsync(string name, CancellationToken ct = default)
    {
        await Step("pause", name, ct);
        if (Get(name).PowerState != PowerState.Running)
            throw new HypervisorException($"Requested operation is not valid: domain '{name}' is not running");
        SetPower(name, PowerState.Paused);
    }

    public async Task UnpauseAsync(string name, CancellationToken ct = default)
    {
        await Step("unpause", name, ct);
        if (Get(name).PowerState != PowerState.Paused)
            throw new HypervisorException($"Requested operation is not valid: domain '{name}' is not paused");
        SetPower(name, PowerState.Running);
    }

    public async Task SuspendAsync(string name, CancellationToken ct = default)
    {
        await Step("suspend", name, ct);
        if (Get(name).PowerState is not (PowerState.Running or PowerState.Paused))
            throw new HypervisorException($"Requested operation is not valid: domain '{name}' is not running");
        SetPower(name, PowerState.Shutdown, saved: true);
    }

    public async Task DiscardSavedStateAsync(string name, CancellationToken ct = default)
    {
        await Step("discard-saved-state", name, ct);
        Change(name, g => g with { Saved = false });
    }

    /// <summary>Whether the guest has saved memory that its next start restores (libvirt's hasManagedSaveImage).</summary>
    public bool HasSavedState(string name) => Get(name).Saved;

    public async Task UndefineAsync(string name, CancellationToken ct = default)
    {
        await Step("undefine", name, ct);
        _guests.TryRemove(name, out _);
        Save();
    }

    public async Task<int?> GetPowerStateAsync(string name, CancellationToken ct = default)
    {
        await Step("state", name, ct);
        return _guests.TryGetValue(name, out var g) ? g.PowerState : null;
    }

    public async Task<string> GetConsoleOutputAsync(string name, CancellationToken ct = default)
    {
        await Step("console", name, ct);
        return Get(name).Console;
    }

    public async Task<IReadOnlyList<GuestInfo>> ListAsync(CancellationToken ct = default)
    {
        await Step("list", "*", ct);
        return _guests.Values.Select(g => new GuestInfo(g.Definition.Name, g.Definition.Uuid, g.PowerState))
            .OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
    }

    public void Dispose() => LifecycleChanged = null;

    private async Task Step(string operation, string name, CancellationToken ct)
    {
        if (_options.Latency > TimeSpan.Zero) await Task.Delay(_options.Latency, ct);
        ct.ThrowIfCancellationRequested();
        if (_failures.TryRemove((operation, name), out var message) || _failures.TryRemove((operation, "*"), out message))
            throw new HypervisorException($"{operation} of '{name}' failed: {message}");
    }

    private FakeGuest Get(string name) => _guests.TryGetValue(name, out var g) ? g : throw NotFound(name);

    private static HypervisorException NotFound(string name) => new($"Domain not found: no domain with matching name '{name}'");

    /// <summary>Changes a defined guest (unknown: not found) and keeps the change.</summary>
    private FakeGuest Change(string name, Func<FakeGuest, FakeGuest> change)
    {
        var updated = _guests.AddOrUpdate(name, _ => throw NotFound(name), (_, g) => change(g));
        Save();
        return updated;
    }

    /// <param name="saved">The guest's memory is saved (suspend); a guest that runs has no saved memory any more.</param>
    private void SetPower(string name, int power, bool? saved = null)
    {
        var updated = Change(name, g => g with
        {
            PowerState = power,
            // Only a guest started from off boots (and prints its banner): not one unpaused or restored from its saved memory.
            Console = power == PowerState.Running && g.PowerState is not (PowerState.Running or PowerState.Paused) && !g.Saved
                ? g.Console + BootBanner(g.Definition) : g.Console,
            Saved = power != PowerState.Running && (saved ?? g.Saved),
        });
        LifecycleChanged?.Invoke(new GuestLifecycleEvent(name, updated.Definition.Uuid, power));
    }

    private void Load()
    {
        if (_options.StatePath is null || !File.Exists(_options.StatePath)) return;
        var guests = JsonSerializer.Deserialize<List<FakeGuest>>(File.ReadAllText(_options.StatePath)) ?? [];
        foreach (var g in guests) _guests[g.Definition.Name] = g;
    }

    private void Save()
    {
        if (_options.StatePath is null) return;
        lock (_saveLock)
        {
            var tmp = _options.StatePath + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(_guests.Values.ToList()));
            File.Move(tmp, _options.StatePath, overwrite: true);
        }
    }

    private sealed record FakeGuest(GuestDefinition Definition, int PowerState, string Console, bool Saved = false);

    /// <summary>What a cloud image prints on boot, as in the seed's console.log, so console-log has something real to show.</summary>
    private static string BootBanner(GuestDefinition g) =>
        $"""
        === datasource: configdrive ===
        instance-id: {g.Uuid}
        name: {g.Name}
        availability-zone: nova
        local-hostname: {g.Hostname}
        launch-index: 0
        === fake hypervisor: guest {g.Name} booted ===

        {g.Hostname.Split('.')[0]} login:
        """ + "\n";
}
