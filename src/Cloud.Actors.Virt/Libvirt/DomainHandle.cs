using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// A virDomainPtr. Owned ones are freed with virDomainFree; borrowed ones (the domain libvirt passes to an
/// event callback) are only wrapped, so the same calls serve both.
/// </summary>
internal sealed class DomainHandle : SafeHandle
{
    public DomainHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    private DomainHandle(IntPtr pointer, bool owns) : base(IntPtr.Zero, owns) => SetHandle(pointer);

    /// <summary>Takes ownership of a pointer libvirt handed over, e.g. from virConnectListAllDomains.</summary>
    public static DomainHandle Own(IntPtr pointer) => new(pointer, owns: true);

    /// <summary>Wraps a pointer libvirt keeps ownership of.</summary>
    public static DomainHandle Borrow(IntPtr pointer) => new(pointer, owns: false);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => LibvirtNative.virDomainFree(handle) == 0;
}
