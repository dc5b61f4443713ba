using System.Security.Cryptography;
using System.Text.Json;
using Cloud.Actors.Domain.Catalog;

namespace Cloud.Actors.Controller.Images;

/// <summary>
/// Image bytes as files in one directory (Glance's file store): &lt;id&gt; holds the bytes and &lt;id&gt;.json their size
/// and md5. Writes stream through a temporary file and a rename, hashing as they go, so a whole image is never in
/// memory and a crash never leaves a half-written image under its id. Ids are checked by <see cref="ImageId"/>
/// before they become file names.
/// </summary>
public sealed class ImageStore : IImageDataStore
{
    /// <summary>Chunks of this size fit in one remoting frame (128 000 bytes by default) with room to spare.</summary>
    public const int ChunkSize = 64 * 1024;

    public ImageStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The stored bytes of <paramref name="imageId"/>, or null when the store has none (or only a torn write).</summary>
    public StoredImage? Find(string imageId)
    {
        var data = DataPath(imageId);
        var record = RecordPath(imageId);
        if (!File.Exists(data) || !File.Exists(record)) return null;
        StoredRecord? stored;
        try
        {
            stored = JsonSerializer.Deserialize<StoredRecord>(File.ReadAllBytes(record));
        }
        catch (JsonException)
        {
            return null;
        }
        // A record that does not describe the file beside it is from before a crash between the two renames.
        if (stored is null || stored.Size != new FileInfo(data).Length) return null;
        return new StoredImage(imageId, data, stored.Size, stored.Checksum);
    }

    /// <summary>
    /// Stores <paramref name="content"/> (read to its end) as <paramref name="imageId"/>'s bytes, replacing any
    /// earlier ones, and returns their size and md5.
    /// </summary>
    public async Task<StoredImage> ImportAsync(string imageId, Stream content, CancellationToken ct = default)
    {
        var data = DataPath(imageId);
        var record = RecordPath(imageId);
        // A name of its own per write: two imports of one id never write into each other's file.
        var partial = $"{data}.{Guid.NewGuid():N}.part";
        long size;
        string checksum;
        try
        {
            await using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, ChunkSize, useAsync: true))
            {
                (size, checksum) = await CopyHashingAsync(content, output, ct);
                await output.FlushAsync(ct);
            }

            // The old record goes first: between the renames a reader finds no image rather than a wrong checksum.
            File.Delete(record);
            File.Move(partial, data, overwrite: true);
            var recordPartial = $"{record}.{Guid.NewGuid():N}.part";
            await File.WriteAllBytesAsync(recordPartial, JsonSerializer.SerializeToUtf8Bytes(new StoredRecord(size, checksum)), ct);
            File.Move(recordPartial, record, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        return new StoredImage(imageId, data, size, checksum);
    }

    /// <summary>The ids of the images the store holds bytes for (complete ones: each has its record).</summary>
    public IEnumerable<string> Ids() =>
        System.IO.Directory.EnumerateFiles(Path, "*.json")
            .Select(record => System.IO.Path.GetFileNameWithoutExtension(record))
            .Where(id => ImageId.IsValid(id) && File.Exists(DataPath(id)));

    /// <summary>When the image's bytes were stored (their file's last write).</summary>
    public DateTime StoredAt(string imageId) => File.GetLastWriteTimeUtc(DataPath(imageId));

    /// <summary>Reads the stored bytes; throws <see cref="FileNotFoundException"/> when there are none.</summary>
    public Stream OpenRead(string imageId) =>
        new FileStream(DataPath(imageId), FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, useAsync: true);

    /// <summary>Removes the image's bytes; false when there were none.</summary>
    public bool Delete(string imageId)
    {
        var data = DataPath(imageId);
        var existed = File.Exists(data);
        File.Delete(RecordPath(imageId));
        File.Delete(data);
        return existed;
    }

    async Task<ImageData> IImageDataStore.ImportAsync(string imageId, Stream content, CancellationToken ct)
    {
        var stored = await ImportAsync(imageId, content, ct);
        return new ImageData(stored.SizeBytes, stored.Checksum);
    }

    ImageData? IImageDataStore.Find(string imageId) => Find(imageId) is { } stored ? new ImageData(stored.SizeBytes, stored.Checksum) : null;

    /// <summary>Size and md5 of a stream read to its end, in chunks.</summary>
    public static async Task<(long Size, string Checksum)> ChecksumAsync(Stream content, CancellationToken ct = default) =>
        await CopyHashingAsync(content, null, ct);

    private static async Task<(long Size, string Checksum)> CopyHashingAsync(Stream content, Stream? output, CancellationToken ct)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[ChunkSize];
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            if (output is not null) await output.WriteAsync(buffer.AsMemory(0, read), ct);
            size += read;
        }

        return (size, Convert.ToHexStringLower(md5.GetHashAndReset()));
    }

    private string DataPath(string imageId) => System.IO.Path.Combine(Path, ImageId.Require(imageId));

    private string RecordPath(string imageId) => DataPath(imageId) + ".json";

    private sealed record StoredRecord(long Size, string Checksum);
}
