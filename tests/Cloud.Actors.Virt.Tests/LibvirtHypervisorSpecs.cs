using System.Collections.Concurrent;
using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt.Libvirt;

namespace Cloud.Actors.Virt.Tests;

/// <summary>
/// The libvirt driver against test:///default: libvirt's in-process test driver, real API semantics and events,
/// no daemon and no guests. Every connection in the process shares its state (and its pre-defined domain
/// "test"), so each spec uses guests of its own and removes them.
/// </summary>
public sealed class LibvirtHypervisorSpecs : HypervisorContractSpecs, IDisposable
{
    private const string TestUri = "test:///default";
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(10);

    private readonly string _instances = Directory.CreateTempSubdirectory("libvirt-instances-").FullName;
    private readonly LibvirtHypervisor _hypervisor;
    private readonly List<string> _created = [];
    private readonly ConcurrentQueue<GuestLifecycleEvent> _events = new();
    private readonly GuestDefinition _guest;
    private readonly GuestDefinition _other;

    public LibvirtHypervisorSpecs()
    {
        _hypervisor = Open();
        _hypervisor.LifecycleChanged += _events.Enqueue;
        _guest = NewGuest();
        _other = NewGuest();
    }

    protected override IHypervisor Hypervisor => _hypervisor;
    protected override GuestDefinition ContractGuest => _guest;

    public void Dispose()
    {
        foreach (var name in _created) _hypervisor.RemoveAsync(name).GetAwaiter().GetResult();
        _hypervisor.Dispose();
        Directory.Delete(_instances, recursive: true);
    }

    private LibvirtHypervisor Open() =>
        new(new LibvirtOptions { Uri = TestUri, InstancesPath = _instances, Hostname = "compute-7" }, TestDomainXml.For);

    /// <summary>A guest no other spec uses, since test:///default is shared by the whole process.</summary>
    private GuestDefinition NewGuest(string? name = null)
    {
        var uuid = Guid.NewGuid();
        var guest = new GuestDefinition(name ?? $"instance-{Random.Shared.Next():x8}", uuid, "test.novalocal", 512, 1, 1);
        _created.Add(guest.Name);
        return guest;
    }

    private async Task Running(GuestDefinition guest)
    {
        await _hypervisor.DefineAsync(guest);
        await _hypervisor.StartAsync(guest.Name);
    }

    /// <summary>The first event for <paramref name="name"/> with <paramref name="power"/>, raised after this call.</summary>
    private Task<GuestLifecycleEvent> NextEvent(string name, int power)
    {
        var arrived = new TaskCompletionSource<GuestLifecycleEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        _hypervisor.LifecycleChanged += e =>
        {
            if (e.Name == name && e.PowerState == power) arrived.TrySetResult(e);
        };
        return arrived.Task.WaitAsync(EventTimeout);
    }

    [Fact]
    public void Reports_the_connection_type_and_the_nodes_size()
    {
        Assert.Equal("TEST", _hypervisor.HypervisorType);
        Assert.Equal("compute-7", _hypervisor.Resources.HypervisorHostname);
        Assert.True(_hypervisor.Resources.Vcpus > 0, $"vcpus {_hypervisor.Resources.Vcpus}");
        Assert.True(_hypervisor.Resources.MemoryMb > 0, $"memory {_hypervisor.Resources.MemoryMb} MB");
        Assert.True(_hypervisor.Resources.DiskGb > 0, $"disk {_hypervisor.Resources.DiskGb} GB");
    }

    [Fact]
    public void Host_name_comes_from_libvirt_when_not_configured()
    {
        using var hypervisor = new LibvirtHypervisor(new LibvirtOptions { Uri = TestUri, InstancesPath = _instances }, TestDomainXml.For);

        Assert.False(string.IsNullOrWhiteSpace(hypervisor.Resources.HypervisorHostname));
    }

    [Fact]
    public async Task Connecting_to_an_unknown_uri_fails_naming_it()
    {
        var error = await Assert.ThrowsAsync<HypervisorException>(() => Task.Run(() =>
            new LibvirtHypervisor(new LibvirtOptions { Uri = "nosuchdriver:///nowhere" }, TestDomainXml.For)));

        Assert.Contains("connecting to 'nosuchdriver:///nowhere' failed", error.Message);
    }

    [Fact]
    public async Task Defining_a_guest_again_keeps_one_domain()
    {
        await _hypervisor.DefineAsync(_guest);
        await _hypervisor.DefineAsync(_guest);

        Assert.Single(await _hypervisor.ListAsync(), g => g.Name == _guest.Name);
    }

    [Fact]
    public async Task Undefined_guest_has_no_power_state()
    {
        await _hypervisor.DefineAsync(_guest);

        await _hypervisor.UndefineAsync(_guest.Name);

        Assert.Null(await _hypervisor.GetPowerStateAsync(_guest.Name));
        Assert.DoesNotContain(await _hypervisor.ListAsync(), g => g.Name == _guest.Name);
    }

    [Fact]
    public async Task Undefining_an_unknown_guest_succeeds()
    {
        await _hypervisor.UndefineAsync(_guest.Name);

        Assert.Null(await _hypervisor.GetPowerStateAsync(_guest.Name));
    }

    [Fact]
    public async Task Unknown_guest_has_no_power_state() =>
        Assert.Null(await _hypervisor.GetPowerStateAsync(_guest.Name));

    [Fact]
    public async Task Lists_running_and_defined_guests_with_their_uuids_beside_the_test_drivers_own()
    {
        await Running(_guest);
        await _hypervisor.DefineAsync(_other);

        var guests = await _hypervisor.ListAsync();

        Assert.Contains(new GuestInfo(_guest.Name, _guest.Uuid, PowerState.Running), guests);
        Assert.Contains(new GuestInfo(_other.Name, _other.Uuid, PowerState.Shutdown), guests);
        // test:///default always holds a running domain named "test".
        Assert.Contains(guests, g => g.Name == "test" && g.PowerState == PowerState.Running);
        Assert.Equal(guests.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => g.Name), guests.Select(g => g.Name));
    }

    [Fact]
    public async Task Nova_style_instance_name_round_trips()
    {
        var guest = NewGuest("instance-0000001c");

        await Running(guest);

        Assert.Contains(new GuestInfo("instance-0000001c", guest.Uuid, PowerState.Running), await _hypervisor.ListAsync());
    }

    [Fact]
    public async Task Starting_a_running_guest_fails_clearly()
    {
        await Running(_guest);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(_guest.Name));

        Assert.StartsWith($"start of '{_guest.Name}' failed: ", error.Message);
        Assert.Contains("already running", error.Message);
        // The test driver says VIR_ERR_INTERNAL_ERROR where the qemu driver says VIR_ERR_OPERATION_INVALID.
        Assert.Matches(@"\(VIR_ERR_[A-Z_]+\)$", error.Message);
    }

    [Fact]
    public async Task Shutting_down_a_shut_off_guest_fails_clearly()
    {
        await _hypervisor.DefineAsync(_guest);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.ShutdownAsync(_guest.Name));

        Assert.StartsWith($"shutdown of '{_guest.Name}' failed: ", error.Message);
        Assert.Contains("not running", error.Message);
        Assert.Matches(@"\(VIR_ERR_[A-Z_]+\)$", error.Message);
    }

    [Fact]
    public async Task Concurrent_failures_each_name_their_own_guest()
    {
        // libvirt keeps the last error per thread; reading it anywhere else would blame the wrong guest.
        var guests = Enumerable.Range(0, 16).Select(_ => NewGuest()).ToList();
        foreach (var guest in guests) await Running(guest);

        var errors = await Task.WhenAll(guests.Select(g =>
            Assert.ThrowsAsync<HypervisorException>(() => _hypervisor.StartAsync(g.Name))));

        Assert.All(guests.Zip(errors), pair => Assert.StartsWith($"start of '{pair.First.Name}' failed: ", pair.Second.Message));
        Assert.All(guests.Zip(errors), pair => Assert.Contains(pair.First.Name, pair.Second.Message.Split(" failed: ")[1]));
    }

    [Theory]
    [InlineData("start")]
    [InlineData("shutdown")]
    [InlineData("destroy")]
    [InlineData("pause")]
    [InlineData("suspend")]
    [InlineData("console output")]
    public async Task Operation_on_an_unknown_guest_fails_with_domain_not_found(string operation)
    {
        var name = _guest.Name;
        Func<Task> call = operation switch
        {
            "start" => () => _hypervisor.StartAsync(name),
            "shutdown" => () => _hypervisor.ShutdownAsync(name),
            "destroy" => () => _hypervisor.DestroyAsync(name),
            "pause" => () => _hypervisor.PauseAsync(name),
            "suspend" => () => _hypervisor.SuspendAsync(name),
            _ => () => _hypervisor.GetConsoleOutputAsync(name),
        };

        var error = await Assert.ThrowsAsync<HypervisorException>(call);

        Assert.StartsWith($"{operation} of '{name}' failed: Domain not found", error.Message);
        Assert.EndsWith("(VIR_ERR_NO_DOMAIN)", error.Message);
    }

    [Fact]
    public async Task Defining_invalid_xml_fails_naming_the_guest()
    {
        using var hypervisor = new LibvirtHypervisor(new LibvirtOptions { Uri = TestUri, InstancesPath = _instances }, _ => "<domain>");

        var error = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.DefineAsync(_guest));

        Assert.StartsWith($"define of '{_guest.Name}' failed: ", error.Message);
    }

    [Fact]
    public async Task Start_raises_a_running_event()
    {
        await _hypervisor.DefineAsync(_guest);
        var started = NextEvent(_guest.Name, PowerState.Running);

        await _hypervisor.StartAsync(_guest.Name);

        Assert.Equal(new GuestLifecycleEvent(_guest.Name, _guest.Uuid, PowerState.Running), await started);
    }

    [Fact]
    public async Task Destroy_raises_a_shutdown_event()
    {
        await Running(_guest);
        var stopped = NextEvent(_guest.Name, PowerState.Shutdown);

        await _hypervisor.DestroyAsync(_guest.Name);

        Assert.Equal(new GuestLifecycleEvent(_guest.Name, _guest.Uuid, PowerState.Shutdown), await stopped);
    }

    [Fact]
    public async Task Guest_shutdown_raises_a_shutdown_event()
    {
        await Running(_guest);
        var stopped = NextEvent(_guest.Name, PowerState.Shutdown);

        await _hypervisor.ShutdownAsync(_guest.Name);

        Assert.Equal(new GuestLifecycleEvent(_guest.Name, _guest.Uuid, PowerState.Shutdown), await stopped);
    }

    [Fact]
    public async Task Disposed_hypervisor_raises_no_more_events()
    {
        var disposed = Open();
        var heard = new ConcurrentQueue<GuestLifecycleEvent>();
        disposed.LifecycleChanged += heard.Enqueue;
        disposed.Dispose();
        await _hypervisor.DefineAsync(_guest);
        var started = NextEvent(_guest.Name, PowerState.Running);

        await _hypervisor.StartAsync(_guest.Name);
        await started; // by now the loop has delivered the event to every registered connection

        Assert.Empty(heard);
    }

    [Fact]
    public async Task Console_output_is_the_guests_console_log()
    {
        await _hypervisor.DefineAsync(_guest);
        var directory = Directory.CreateDirectory(Path.Combine(_instances, _guest.Uuid.ToString()));
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "console.log"), "test2 login: ");

        Assert.Equal("test2 login: ", await _hypervisor.GetConsoleOutputAsync(_guest.Name));
    }

    [Fact]
    public async Task Console_output_is_the_last_100_KiB()
    {
        await _hypervisor.DefineAsync(_guest);
        var directory = Directory.CreateDirectory(Path.Combine(_instances, _guest.Uuid.ToString()));
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "console.log"), new string('a', 1000) + new string('b', 100 * 1024));

        Assert.Equal(new string('b', 100 * 1024), await _hypervisor.GetConsoleOutputAsync(_guest.Name));
    }

    [Fact]
    public async Task Console_output_is_empty_before_the_guest_writes_any()
    {
        await _hypervisor.DefineAsync(_guest);

        Assert.Equal("", await _hypervisor.GetConsoleOutputAsync(_guest.Name));
    }

    [Fact]
    public async Task Disposed_hypervisor_refuses_calls()
    {
        var disposed = Open();
        disposed.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => disposed.GetPowerStateAsync(_guest.Name));
    }
}
