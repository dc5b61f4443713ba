using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// Whether this host can really run a kvm guest. /dev/kvm existing is not enough: in sandboxes the device can be
/// there, even open and create VMs, with no hardware virtualization behind it (measured here: a kvm domain then
/// fails with "failed to set MSR", or runs and never prints a byte). So the probe wants the CPU to announce VT-x
/// or AMD-V (vmx/svm in /proc/cpuinfo, as nested virtualization also shows it) and /dev/kvm to create a VM.
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
        if (!File.Exists(Device) || !CpuHasVirtualization()) return false;
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

    private static bool CpuHasVirtualization()
    {
        try
        {
            return CpuInfoAnnouncesVirtualization(File.ReadLines("/proc/cpuinfo"));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether /proc/cpuinfo's flags lines name VT-x (vmx) or AMD-V (svm).</summary>
    public static bool CpuInfoAnnouncesVirtualization(IEnumerable<string> cpuinfo) =>
        cpuinfo.Where(line => line.StartsWith("flags", StringComparison.Ordinal))
            .Any(line => line.Split(' ', ':', '\t').Any(flag => flag is "vmx" or "svm"));

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, ulong request, ulong argument);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
