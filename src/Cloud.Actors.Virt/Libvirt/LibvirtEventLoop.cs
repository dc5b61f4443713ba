namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// libvirt's default event loop, which delivers domain events (and keepalive probes) to callbacks. It is
/// process-wide: virEventRegisterDefaultImpl may be called once per process, before opening any connection
/// that registers for events, and cannot be undone. So one background thread runs it for the life of the
/// process, as Nova's libvirt host does, and every connection shares it.
/// </summary>
internal static class LibvirtEventLoop
{
    private static readonly Lock Gate = new();
    private static Thread? _thread;

    /// <summary>Registers the default implementation and starts the thread, the first time only.</summary>
    public static void EnsureRunning()
    {
        lock (Gate)
        {
            if (_thread is not null) return;
            if (LibvirtNative.virEventRegisterDefaultImpl() < 0)
                throw LibvirtError.Take().ToException("registering libvirt's default event loop");
            _thread = new Thread(Run) { IsBackground = true, Name = "libvirt-event-loop" };
            _thread.Start();
        }
    }

    private static void Run()
    {
        while (true)
        {
            // Blocks until a handle or timer fires, then runs its callbacks on this thread.
            if (LibvirtNative.virEventRunDefaultImpl() < 0)
            {
                // A failed iteration (e.g. an interrupted poll) is retried; the pause keeps a persistent
                // failure from spinning a core.
                LibvirtNative.virResetLastError();
                Thread.Sleep(100);
            }
        }
    }
}
