using System.Buffers.Binary;
using System.Text;

namespace Cloud.Actors.Compute.Images;

/// <summary>
/// The backing file named in a qcow2 header, read straight from the file (as Nova's imagecache can): no qemu-img
/// process per disk, and no trouble with the lock a running guest's QEMU holds on its disk.
/// </summary>
public static class Qcow2Header
{
    // "QFI\xfb"; the header's numbers are big-endian.
    private static ReadOnlySpan<byte> Magic => [0x51, 0x46, 0x49, 0xfb];

    /// <summary>The backing file as written in the header (maybe relative to the disk's directory), or null for a
    /// file that is not qcow2 or has no backing file.</summary>
    public static string? BackingFile(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Span<byte> header = stackalloc byte[20];
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) return null;
            if (!header[..4].SequenceEqual(Magic)) return null;
            var offset = BinaryPrimitives.ReadUInt64BigEndian(header[8..16]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header[16..20]);
            // qcow2 allows names up to 1023 bytes; anything else is a damaged header, not a name to trust.
            if (offset == 0 || length == 0 || length > 1023 || offset > (ulong)file.Length) return null;
            var name = new byte[length];
            file.Position = (long)offset;
            if (file.ReadAtLeast(name, name.Length, throwOnEndOfStream: false) < name.Length) return null;
            return Encoding.UTF8.GetString(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
