using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// One open libvirt connection with the driver's lifecycle callback registered on it. A connection to
/// qemu:///system dies with libvirtd; the driver then opens a new one (and registers again), as Nova's host does.
/// </summary>
internal sealed unsafe class LibvirtConnection : IDisposable
{
    private readonly int _lifecycleCallbackId;

    private LibvirtConnection(ConnectionHandle handle, int lifecycleCallbackId)
    {
        Handle = handle;
        _lifecycleCallbackId = lifecycleCallbackId;
    }

    public ConnectionHandle Handle { get; }

    /// <summary>False once the peer is gone (libvirtd restarted, keepalive unanswered); drivers in process stay alive.</summary>
    public bool IsAlive => LibvirtNative.virConnectIsAlive(Handle) == 1;

    /// <summary>
    /// Opens <paramref name="uri"/> and has every lifecycle event of its domains passed to <paramref name="onLifecycle"/>
    /// (the domain, borrowed for the call, and the virDomainEventType) on the event loop thread.
    /// </summary>
    public static LibvirtConnection Open(string uri, TimeSpan keepAliveInterval, uint keepAliveCount, Action<DomainHandle, int> onLifecycle)
    {
        // Before the connection opens: a connection only delivers events through an event loop registered before it.
        LibvirtEventLoop.EnsureRunning();
        LibvirtError.SilenceDefaultReporting();
        var handle = LibvirtNative.virConnectOpen(uri);
        if (handle.IsInvalid)
        {
            var error = LibvirtError.Take();
            handle.Dispose();
            throw error.ToException($"connecting to '{uri}'");
        }

        EnableKeepAlive(handle, keepAliveInterval, keepAliveCount);
        // The handle keeps the delegate alive while libvirt holds the callback; libvirt frees it through
        // ReleaseCallbackTarget once deregistered.
        var target = GCHandle.Alloc(onLifecycle);
        var callbackId = LibvirtNative.virConnectDomainEventRegisterAny(
            handle, IntPtr.Zero, LibvirtNative.DomainEventIdLifecycle,
            &OnLifecycleEvent, GCHandle.ToIntPtr(target), &ReleaseCallbackTarget);
        if (callbackId < 0)
        {
            var error = LibvirtError.Take();
            target.Free();
            handle.Dispose();
            throw error.ToException($"registering for lifecycle events on '{uri}'");
        }
        return new LibvirtConnection(handle, callbackId);
    }

    public void Dispose()
    {
        // Fails on a dead connection, which has nothing registered any more; either way it is closing.
        if (LibvirtNative.virConnectDomainEventDeregisterAny(Handle, _lifecycleCallbackId) < 0)
            LibvirtNative.virResetLastError();
        Handle.Dispose();
    }

    private static void EnableKeepAlive(ConnectionHandle handle, TimeSpan interval, uint count)
    {
        if (interval <= TimeSpan.Zero) return;
        // Fails (and sets an error) on drivers that run in process, like test:///, which have no peer to probe.
        if (LibvirtNative.virConnectSetKeepAlive(handle, (int)interval.TotalSeconds, count) < 0)
            LibvirtNative.virResetLastError();
    }

    /// <summary>virConnectDomainEventCallback, on the event loop thread.</summary>
    [UnmanagedCallersOnly]
    private static int OnLifecycleEvent(IntPtr connection, IntPtr domain, int eventType, int detail, IntPtr opaque)
    {
        try
        {
            if (GCHandle.FromIntPtr(opaque).Target is Action<DomainHandle, int> onLifecycle)
            {
                using var borrowed = DomainHandle.Borrow(domain);
                onLifecycle(borrowed, eventType);
            }
        }
        catch (Exception)
        {
            // An exception cannot unwind into libvirt's C frames (the runtime would end the process), and a
            // lost event is covered by the periodic power-state sync. Subscribers should not throw.
            LibvirtNative.virResetLastError();
        }
        return 0;
    }

    /// <summary>virFreeCallback: libvirt no longer holds the callback's target.</summary>
    [UnmanagedCallersOnly]
    private static void ReleaseCallbackTarget(IntPtr opaque) => GCHandle.FromIntPtr(opaque).Free();
}
