using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// Whether this host can really run a kvm guest. /dev/kvm existing is not enough: in containers and nested
/// setups the node can exist without hardware virtualization behind it, and a kvm domain then fails at start.
/// So the probe does what qemu does first: open the device and create (and drop) an empty VM.
/// </summary>
public static partial class KvmProbe
{
    public const string Device = "/dev/kvm";

    private const int OpenReadWrite = 2;
    private const int OpenCloseOnExec = 0x80000;
    private const ulong KvmGetApiVersion = 0xAE00;
    private const ulong KvmCreateVm = 0xAE01;
    private const int KvmApiVersion = 12;

    private static readonly Lazy<bool> Result = new(Probe);

    /// <summary>True when a VM can be created through /dev/kvm (probed once per process).</summary>
    public static bool Available => Result.Value;

    private static bool Probe()
    {
        if (!File.Exists(Device)) return false;
        var kvm = Open(Device, OpenReadWrite | OpenCloseOnExec);
        if (kvm < 0) return false;
        try
        {
            if (Ioctl(kvm, KvmGetApiVersion, 0) != KvmApiVersion) return false;
            var vm = Ioctl(kvm, KvmCreateVm, 0);
            if (vm < 0) return false;
            Close(vm);
            return true;
        }
        finally
        {
            Close(kvm);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, ulong request, ulong argument);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
