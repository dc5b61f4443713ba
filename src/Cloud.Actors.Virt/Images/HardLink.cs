using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Images;

/// <summary>link(2): .NET has symbolic links but no hard links.</summary>
public static partial class HardLink
{
    public static void Create(string existing, string link)
    {
        if (Link(existing, link) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        throw new IOException($"linking {link} to {existing} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string link);
}
