using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Images;

/// <summary>
/// Hard links, which .NET does not offer: link(2) to make one, statx(2) to count a file's names. Nova hard-links
/// kernel and ramdisk bases into instance directories, so a base with more than one link is in use even though no
/// disk names it as backing file.
/// </summary>
public static partial class HardLink
{
    private const int AtFdCwd = -100;
    private const uint StatxNlink = 0x4;

    public static void Create(string existing, string link)
    {
        if (Link(existing, link) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        throw new IOException($"linking {link} to {existing} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>The link count, or null when it cannot be read (then the caller must treat the file as in use).</summary>
    public static uint? Count(string path)
    {
        // statx's layout is the same on every Linux architecture (unlike struct stat):
        // u32 stx_mask, u32 stx_blksize, u64 stx_attributes, u32 stx_nlink ... in the machine's byte order.
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxNlink, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        var mask = MemoryMarshal.Read<uint>(buffer);
        if ((mask & StatxNlink) == 0) return null;
        return MemoryMarshal.Read<uint>(buffer.AsSpan(16));
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string link);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
