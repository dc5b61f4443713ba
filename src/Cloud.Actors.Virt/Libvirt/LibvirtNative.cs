using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// The part of libvirt's C API (libvirt.so.0, include/libvirt/*.h) the driver uses. Strings cross as UTF-8.
/// Pointers libvirt lends (virDomainGetName, the domain in an event callback) are IntPtr; pointers the caller
/// owns come back as safe handles so they are always released.
/// </summary>
internal static unsafe partial class LibvirtNative
{
    public const string Library = "libvirt.so.0";

    /// <summary>VIR_UUID_STRING_BUFLEN: 36 characters and the terminating NUL.</summary>
    public const int UuidStringBufferLength = 37;

    /// <summary>VIR_DOMAIN_EVENT_ID_LIFECYCLE.</summary>
    public const int DomainEventIdLifecycle = 0;

    /// <summary>VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA, as Nova undefines.</summary>
    public const uint UndefineManagedSaveAndSnapshots = 1 | 2;


    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ConnectionHandle virConnectOpen(string uri);

    [LibraryImport(Library)]
    public static partial int virConnectClose(IntPtr conn);

    /// <summary>Returns "QEMU" for qemu:///system, "TEST" for test:///default; libvirt owns the string.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr virConnectGetType(ConnectionHandle conn);

    /// <summary>Returns a string the caller frees.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr virConnectGetHostname(ConnectionHandle conn);

    /// <summary>1 while the connection works, 0 once its peer is gone, -1 on error.</summary>
    [LibraryImport(Library)]
    public static partial int virConnectIsAlive(ConnectionHandle conn);

    [LibraryImport(Library)]
    public static partial int virConnectSetKeepAlive(ConnectionHandle conn, int interval, uint count);

    [LibraryImport(Library)]
    public static partial int virNodeGetInfo(ConnectionHandle conn, out NodeInfo info);

    /// <summary>Fills <paramref name="domains"/> with an array the caller frees, of domains the caller frees.</summary>
    [LibraryImport(Library)]
    public static partial int virConnectListAllDomains(ConnectionHandle conn, out IntPtr domains, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DomainHandle virDomainDefineXML(ConnectionHandle conn, string xml);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DomainHandle virDomainLookupByName(ConnectionHandle conn, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DomainHandle virDomainLookupByUUIDString(ConnectionHandle conn, string uuid);

    [LibraryImport(Library)]
    public static partial int virDomainCreate(DomainHandle domain);

    [LibraryImport(Library)]
    public static partial int virDomainShutdown(DomainHandle domain);

    [LibraryImport(Library)]
    public static partial int virDomainDestroy(DomainHandle domain);

    [LibraryImport(Library)]
    public static partial int virDomainSuspend(DomainHandle domain);

    [LibraryImport(Library)]
    public static partial int virDomainResume(DomainHandle domain);

    [LibraryImport(Library)]
    public static partial int virDomainManagedSave(DomainHandle domain, uint flags);

    /// <summary>The qemu driver fails (ENOENT) when there is no image: ask <see cref="virDomainHasManagedSaveImage"/> first.</summary>
    [LibraryImport(Library)]
    public static partial int virDomainManagedSaveRemove(DomainHandle domain, uint flags);

    /// <summary>1 when the domain has a managed save image, 0 when not, -1 on error.</summary>
    [LibraryImport(Library)]
    public static partial int virDomainHasManagedSaveImage(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    public static partial int virDomainUndefine(DomainHandle domain);

    [LibraryImport(Library)]
    public static partial int virDomainUndefineFlags(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    public static partial int virDomainGetState(DomainHandle domain, out int state, out int reason, uint flags);

    [LibraryImport(Library)]
    public static partial int virDomainGetUUIDString(DomainHandle domain, byte* buffer);

    /// <summary>Returns a string the domain owns: copy it before the domain is freed.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr virDomainGetName(DomainHandle domain);

    [LibraryImport(Library)]
    public static partial int virDomainFree(IntPtr domain);

    /// <summary>The calling thread's last error, or null; libvirt keeps error state per thread.</summary>
    [LibraryImport(Library)]
    public static partial ErrorRecord* virGetLastError();

    [LibraryImport(Library)]
    public static partial void virResetLastError();

    /// <summary>Sets the process-wide handler called on every error; without one libvirt prints each to stderr.</summary>
    [LibraryImport(Library)]
    public static partial void virSetErrorFunc(IntPtr userData, delegate* unmanaged<IntPtr, ErrorRecord*, void> handler);

    [LibraryImport(Library)]
    public static partial int virEventRegisterDefaultImpl();

    [LibraryImport(Library)]
    public static partial int virEventRunDefaultImpl();

    [LibraryImport(Library)]
    public static partial int virConnectDomainEventRegisterAny(
        ConnectionHandle conn,
        IntPtr domain,
        int eventId,
        delegate* unmanaged<IntPtr, IntPtr, int, int, IntPtr, int> callback,
        IntPtr opaque,
        delegate* unmanaged<IntPtr, void> freeOpaque);

    [LibraryImport(Library)]
    public static partial int virConnectDomainEventDeregisterAny(ConnectionHandle conn, int callbackId);

    /// <summary>struct _virError (virterror.h), up to the fields the driver reads.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ErrorRecord
    {
        public int Code;
        public int Domain;
        public IntPtr Message;
    }

    /// <summary>struct _virNodeInfo (libvirt-host.h); memory is in KiB.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NodeInfo
    {
        public fixed byte Model[32];
        public nuint MemoryKib;
        public uint Cpus;
        public uint Mhz;
        public uint Nodes;
        public uint Sockets;
        public uint Cores;
        public uint Threads;
    }
}
