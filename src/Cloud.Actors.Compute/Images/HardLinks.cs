using System.Runtime.InteropServices;

namespace Cloud.Actors.Compute.Images;

/// <summary>
/// How many names a file has. Nova hard-links kernel and ramdisk bases into instance directories, so a base with
/// more than one link is in use even though no disk names it as backing file. .NET does not expose st_nlink;
/// statx(2) does, in a layout that is the same on every Linux architecture (unlike struct stat).
/// </summary>
public static partial class HardLinks
{
    private const int AtFdCwd = -100;
    private const uint StatxNlink = 0x4;

    /// <summary>The link count, or null when it cannot be read (then the caller must treat the file as in use).</summary>
    public static uint? Count(string path)
    {
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxNlink, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        // struct statx: u32 stx_mask, u32 stx_blksize, u64 stx_attributes, u32 stx_nlink ...
        // (in the machine's byte order).
        var mask = MemoryMarshal.Read<uint>(buffer);
        if ((mask & StatxNlink) == 0) return null;
        return MemoryMarshal.Read<uint>(buffer.AsSpan(16));
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
