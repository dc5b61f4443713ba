using System.Runtime.InteropServices;
using System.Text;
using Cloud.Actors.Domain.States;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// The hypervisor as libvirt drives it (nova/virt/libvirt/driver.py and host.py): one connection per host (reopened after libvirtd restarts),
/// guests looked up by name (instance-%08x), lifecycle events from libvirt's event loop. Every call runs on a
/// pool thread because libvirt calls block (a qemu start takes about a second), and each failure's error is
/// read on that same thread, where libvirt keeps it.
/// </summary>
public sealed unsafe class LibvirtHypervisor : IHypervisor
{
    /// <summary>Nova's MAX_CONSOLE_BYTES: console-log returns at most the last 100 KiB.</summary>
    private const int MaxConsoleBytes = 100 * 1024;

    private const long BytesPerGib = 1L << 30;

    /// <summary>virDomainState VIR_DOMAIN_SHUTOFF.</summary>
    private const int DomainShutoff = 5;

    private readonly LibvirtOptions _options;
    private readonly Func<GuestDefinition, string> _domainXml;
    private readonly Lock _connectionGate = new();
    private LibvirtConnection _connection;
    private int _disposed;

    /// <param name="options">The connection URI, instances path and host name.</param>
    /// <param name="domainXml">
    /// Builds the domain XML for a guest. The XML builder (Config*) is its own concern, so the driver takes
    /// it as a function; it must escape what it writes.
    /// </param>
    public LibvirtHypervisor(LibvirtOptions options, Func<GuestDefinition, string> domainXml)
    {
        _options = options;
        _domainXml = domainXml;
        try
        {
            _connection = Open();
        }
        catch (DllNotFoundException e)
        {
            throw new HypervisorException(
                $"{LibvirtNative.Library} could not be loaded, so the libvirt driver cannot run: run ./cluster.sh setup (it installs libvirt0)", e);
        }

        try
        {
            HypervisorType = ConnectionType();
            Resources = ReadResources();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>What libvirt calls its driver: QEMU for qemu:///system (as Nova reports it), TEST for test:///.</summary>
    public string HypervisorType { get; }

    public HostResources Resources { get; }

    public event Action<GuestLifecycleEvent>? LifecycleChanged;

    /// <summary>
    /// Defines the guest persistently. A guest with files gets its definition written to its instance directory's
    /// libvirt.xml first, as Nova does: the file shows what was defined, and survives libvirt losing its copy.
    /// </summary>
    /// <summary>
    /// Defines the guest persistently. A guest with files gets its definition written to its instance directory's
    /// libvirt.xml first, as Nova does: the file shows what was defined, and survives libvirt losing its copy.
    /// </summary>
    public Task DefineAsync(GuestDefinition guest, CancellationToken ct = default) => Call(() =>
    {
        var xml = _domainXml(guest);
        if (guest.Disks is not null) new InstanceDirectory(_options.InstancesPath, guest.Uuid).WriteLibvirtXml(xml);
        using var domain = LibvirtNative.virDomainDefineXML(Connection(), xml);
        if (domain.IsInvalid) throw LibvirtError.Take().ToException($"define of '{guest.Name}'");
    }, ct);

    public Task StartAsync(string name, CancellationToken ct = default) =>
        OnDomain(name, "start", LibvirtNative.virDomainCreate, ct);

    public Task ShutdownAsync(string name, CancellationToken ct = default) =>
        OnDomain(name, "shutdown", LibvirtNative.virDomainShutdown, ct);

    public Task PauseAsync(string name, CancellationToken ct = default) =>
        OnDomain(name, "pause", LibvirtNative.virDomainSuspend, ct);

    public Task UnpauseAsync(string name, CancellationToken ct = default) =>
        OnDomain(name, "unpause", LibvirtNative.virDomainResume, ct);

    /// <summary>libvirt's managed save (under /var/lib/libvirt/qemu/save/), which virDomainCreate restores from, as Nova's suspend.</summary>
    public Task SuspendAsync(string name, CancellationToken ct = default) =>
        OnDomain(name, "suspend", d => LibvirtNative.virDomainManagedSave(d, 0), ct);

    public Task DiscardSavedStateAsync(string name, CancellationToken ct = default) =>
        OnDomain(name, "discard the saved state", d => LibvirtNative.virDomainHasManagedSaveImage(d, 0) switch
        {
            0 => 0,
            1 => LibvirtNative.virDomainManagedSaveRemove(d, 0),
            var error => error,
        }, ct);

    public Task DestroyAsync(string name, CancellationToken ct = default) => Call(() =>
    {
        using var domain = Lookup(name, "destroy");
        if (LibvirtNative.virDomainDestroy(domain) == 0) return;
        var error = LibvirtError.Take();
        // libvirt refuses to destroy a domain that is not running; for the caller that guest is already
        // destroyed, as Nova's _destroy treats it.
        if (error.Code == LibvirtError.OperationInvalid && DomainState(domain, "destroy", name) == DomainShutoff) return;
        throw error.ToException($"destroy of '{name}'");
    }, ct);

    public Task UndefineAsync(string name, CancellationToken ct = default) => Call(() =>
    {
        using var domain = TryLookup(name, "undefine");
        if (domain is null) return;
        if (LibvirtNative.virDomainUndefineFlags(domain, LibvirtNative.UndefineManagedSaveAndSnapshots) == 0) return;
        var error = LibvirtError.Take();
        if (error.IsNoDomain) return; // undefined by someone else meanwhile: the outcome asked for
        throw error.ToException($"undefine of '{name}'");
    }, ct);

    public Task<int?> GetPowerStateAsync(string name, CancellationToken ct = default) => Call<int?>(() =>
    {
        using var domain = TryLookup(name, "state");
        if (domain is null) return null;
        if (LibvirtNative.virDomainGetState(domain, out var state, out _, 0) == 0)
            return LibvirtPowerState.FromDomainState(state);
        var error = LibvirtError.Take();
        if (error.IsNoDomain) return null;
        throw error.ToException($"state of '{name}'");
    }, ct);

    public Task<IReadOnlyList<GuestInfo>> ListAsync(CancellationToken ct = default) => Call<IReadOnlyList<GuestInfo>>(() =>
    {
        // Flags 0: every domain, running or only defined, as `virsh list --all`.
        var count = LibvirtNative.virConnectListAllDomains(Connection(), out var array, 0);
        if (count < 0) throw LibvirtError.Take().ToException($"listing the domains of '{_options.Uri}'");
        var domains = new DomainHandle[count];
        try
        {
            for (var i = 0; i < count; i++) domains[i] = DomainHandle.Own(((IntPtr*)array)[i]);
        }
        finally
        {
            // libvirt allocated the array with malloc; the domains in it are now ours.
            NativeMemory.Free((void*)array);
        }

        var guests = new List<GuestInfo>(count);
        try
        {
            foreach (var domain in domains)
            {
                if (LibvirtNative.virDomainGetState(domain, out var state, out _, 0) < 0)
                {
                    var error = LibvirtError.Take();
                    if (error.IsNoDomain) continue; // undefined since the listing
                    throw error.ToException($"listing the domains of '{_options.Uri}'");
                }
                var name = NameOf(domain, "list");
                guests.Add(new GuestInfo(name, UuidOf(domain, "list", name), LibvirtPowerState.FromDomainState(state)));
            }
        }
        finally
        {
            foreach (var domain in domains) domain.Dispose();
        }
        return guests.OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
    }, ct);

    /// <summary>
    /// The tail of instances/&lt;uuid&gt;/console.log, where the guest's file serial writes. Following the log
    /// as it grows (and across rotation) is the console tailer's job (issue 3, item 6); this reads what is there.
    /// </summary>
    public Task<string> GetConsoleOutputAsync(string name, CancellationToken ct = default) => Call(() =>
    {
        using var domain = Lookup(name, "console output");
        var uuid = UuidOf(domain, "console output", name);
        return ReadTail(Path.Combine(_options.InstancesPath, uuid.ToString(), "console.log"));
    }, ct);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        LifecycleChanged = null;
        lock (_connectionGate) _connection.Dispose();
    }

    private Task OnDomain(string name, string operation, Func<DomainHandle, int> call, CancellationToken ct) => Call(() =>
    {
        using var domain = Lookup(name, operation);
        if (call(domain) < 0) throw LibvirtError.Take().ToException($"{operation} of '{name}'");
    }, ct);

    private Task Call(Action call, CancellationToken ct) => Call<object?>(() =>
    {
        call();
        return null;
    }, ct);

    private Task<T> Call<T>(Func<T> call, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return Task.Run(() =>
        {
            try
            {
                return call();
            }
            catch (ObjectDisposedException e) when (Volatile.Read(ref _disposed) == 0)
            {
                // The call held the connection that a reconnect just closed.
                throw new HypervisorException($"the connection to '{_options.Uri}' was lost and reopened during the call; try again", e);
            }
        }, ct);
    }

    /// <summary>The domain by name; an unknown one fails with libvirt's own "Domain not found" message.</summary>
    private DomainHandle Lookup(string name, string operation)
    {
        var domain = LibvirtNative.virDomainLookupByName(Connection(), name);
        if (!domain.IsInvalid) return domain;
        var error = LibvirtError.Take();
        domain.Dispose();
        throw error.ToException($"{operation} of '{name}'");
    }

    /// <summary>The domain by name, or null when none has that name; other failures throw.</summary>
    private DomainHandle? TryLookup(string name, string operation)
    {
        var domain = LibvirtNative.virDomainLookupByName(Connection(), name);
        if (!domain.IsInvalid) return domain;
        var error = LibvirtError.Take();
        domain.Dispose();
        if (error.IsNoDomain) return null;
        throw error.ToException($"{operation} of '{name}'");
    }

    private static int DomainState(DomainHandle domain, string operation, string name)
    {
        if (LibvirtNative.virDomainGetState(domain, out var state, out _, 0) < 0)
            throw LibvirtError.Take().ToException($"{operation} of '{name}'");
        return state;
    }

    private static string NameOf(DomainHandle domain, string operation)
    {
        var name = LibvirtNative.virDomainGetName(domain);
        if (name == IntPtr.Zero) throw LibvirtError.Take().ToException($"{operation}: reading a domain's name");
        return Marshal.PtrToStringUTF8(name)!;
    }

    private static Guid UuidOf(DomainHandle domain, string operation, string name)
    {
        var buffer = stackalloc byte[LibvirtNative.UuidStringBufferLength];
        if (LibvirtNative.virDomainGetUUIDString(domain, buffer) < 0)
            throw LibvirtError.Take().ToException($"{operation} of '{name}': reading its uuid");
        return Guid.Parse(Marshal.PtrToStringUTF8((IntPtr)buffer)!);
    }

    private LibvirtConnection Open() =>
        LibvirtConnection.Open(_options.Uri, _options.KeepAliveInterval, _options.KeepAliveCount, RaiseLifecycle);

    /// <summary>
    /// The open connection, reopened first when its peer has gone (libvirtd restarted): the host carries on
    /// once the daemon is back. Events in between are lost; the periodic power-state sync covers them.
    /// </summary>
    private ConnectionHandle Connection()
    {
        lock (_connectionGate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            if (_connection.IsAlive) return _connection.Handle;
            LibvirtNative.virResetLastError();
            var fresh = Open();
            // Calls still running on the old handle keep it open until they return (SafeHandle counts them).
            _connection.Dispose();
            _connection = fresh;
            return fresh.Handle;
        }
    }

    private string ConnectionType()
    {
        var type = LibvirtNative.virConnectGetType(Connection());
        if (type == IntPtr.Zero) throw LibvirtError.Take().ToException($"reading the hypervisor type of '{_options.Uri}'");
        return Marshal.PtrToStringUTF8(type)!;
    }

    private HostResources ReadResources()
    {
        if (LibvirtNative.virNodeGetInfo(Connection(), out var node) < 0)
            throw LibvirtError.Take().ToException($"reading the node info of '{_options.Uri}'");
        return new HostResources(_options.Hostname ?? Hostname(), (int)node.Cpus, (long)node.MemoryKib / 1024, DiskGb(_options.InstancesPath));
    }

    private string Hostname()
    {
        var hostname = LibvirtNative.virConnectGetHostname(Connection());
        if (hostname == IntPtr.Zero) throw LibvirtError.Take().ToException($"reading the host name of '{_options.Uri}'");
        try
        {
            return Marshal.PtrToStringUTF8(hostname)!;
        }
        finally
        {
            NativeMemory.Free((void*)hostname);
        }
    }

    /// <summary>The size of the filesystem the instances live on; before setup creates the directory, its nearest existing parent's.</summary>
    private static long DiskGb(string instancesPath)
    {
        var directory = new DirectoryInfo(Path.GetFullPath(instancesPath));
        while (!directory.Exists && directory.Parent is not null) directory = directory.Parent;
        return new DriveInfo(directory.FullName).TotalSize / BytesPerGib;
    }

    private static string ReadTail(string path)
    {
        if (!File.Exists(path)) return "";
        // qemu (through virtlogd) keeps writing while we read.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, file.Length - MaxConsoleBytes);
        file.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[file.Length - start];
        file.ReadExactly(buffer);
        return Encoding.UTF8.GetString(buffer);
    }

    private void RaiseLifecycle(DomainHandle domain, int eventType)
    {
        if (Volatile.Read(ref _disposed) == 1) return;
        if (LibvirtPowerState.FromLifecycleEvent(eventType) is not { } power) return;
        var name = NameOf(domain, "lifecycle event");
        LifecycleChanged?.Invoke(new GuestLifecycleEvent(name, UuidOf(domain, "lifecycle event", name), power));
    }
}
