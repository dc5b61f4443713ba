using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>A virConnectPtr; closing it drops the caller's reference to the connection.</summary>
internal sealed class ConnectionHandle : SafeHandle
{
    public ConnectionHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => LibvirtNative.virConnectClose(handle) >= 0;
}
