using Cloud.Actors.Compute.Images;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Compute.Tests.Images;

public sealed class ImageCacheSpecs : IDisposable
{
    private const string ImageId = "155d900f-4e14-4e4c-a73d-069cbf4541e6";
    private readonly ScratchDirectory _instances = new();

    public void Dispose() => _instances.Dispose();

    private string BaseFile => _instances.File("_base", ImageCache.BaseName(ImageId));

    [Fact]
    public void Base_file_is_named_by_the_sha1_of_the_image_id()
    {
        // As `printf %s <id> | sha1sum` gives it, and as Nova names it.
        Assert.Equal(_instances.File("_base", "f2d1a8250ed3d4b744a8250dab8f6840179d502a"), new ImageCache(_instances.Path, new MemoryImageSource()).BaseFile(ImageId));
    }

    [Fact]
    public async Task Concurrent_fetches_of_one_image_download_it_once()
    {
        var bytes = ImageBytes.Random(300_000);
        var source = new MemoryImageSource(held: true).Add(ImageBytes.Record(ImageId, bytes), bytes);
        var cache = new ImageCache(_instances.Path, source);

        var fetches = Enumerable.Range(0, 8).Select(_ => cache.FetchAsync(ImageId)).ToArray();
        await WaitUntil(() => source.Opens == 1);
        await Task.Delay(100);
        source.Release();
        var cached = await Task.WhenAll(fetches);

        Assert.Equal(1, source.Opens);
        Assert.All(cached, c => Assert.Equal(BaseFile, c.Path));
        Assert.Equal(ImageBytes.Md5(bytes), ImageBytes.Md5(BaseFile));
    }

    [Fact]
    public async Task Two_caches_on_one_instances_directory_download_once_under_the_lock_file()
    {
        var bytes = ImageBytes.Random(300_000);
        var source = new MemoryImageSource(held: true).Add(ImageBytes.Record(ImageId, bytes), bytes);
        // Two caches stand for two processes: nothing in memory is shared, only instances/.
        var first = new ImageCache(_instances.Path, source);
        var second = new ImageCache(_instances.Path, source);

        var one = first.FetchAsync(ImageId);
        await WaitUntil(() => source.Opens == 1);
        var other = second.FetchAsync(ImageId);
        await Task.Delay(300);
        Assert.False(other.IsCompleted);
        source.Release();
        var cached = await Task.WhenAll(one, other);

        Assert.Equal(1, source.Opens);
        Assert.Equal(cached[0].Path, cached[1].Path);
        Assert.True(File.Exists(_instances.File("locks", "nova-" + ImageCache.BaseName(ImageId))));
    }

    [Fact]
    public async Task Checksum_mismatch_fails_naming_both_checksums_and_leaves_nothing_in_base()
    {
        var bytes = ImageBytes.Random(200_000);
        var record = ImageBytes.Record(ImageId, bytes) with { Checksum = "0123456789abcdef0123456789abcdef" };
        var cache = new ImageCache(_instances.Path, new MemoryImageSource().Add(record, bytes));

        var error = await Assert.ThrowsAsync<ImageVerificationException>(() => cache.FetchAsync(ImageId));

        Assert.Contains(ImageId, error.Message);
        Assert.Contains("0123456789abcdef0123456789abcdef", error.Message);
        Assert.Contains(ImageBytes.Md5(bytes), error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_instances.File("_base")));
    }

    [Fact]
    public async Task Size_mismatch_fails_and_leaves_nothing_in_base()
    {
        var bytes = ImageBytes.Random(200_000);
        var record = ImageBytes.Record(ImageId, bytes) with { SizeBytes = 199_999 };
        var cache = new ImageCache(_instances.Path, new MemoryImageSource().Add(record, bytes));

        var error = await Assert.ThrowsAsync<ImageVerificationException>(() => cache.FetchAsync(ImageId));

        Assert.Contains("199999", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_instances.File("_base")));
    }

    [Fact]
    public async Task A_failed_fetch_is_tried_again_by_the_next_call()
    {
        var bytes = ImageBytes.Random(10_000);
        var source = new MemoryImageSource();
        var cache = new ImageCache(_instances.Path, source);
        await Assert.ThrowsAsync<ImageUnavailableException>(() => cache.FetchAsync(ImageId));

        source.Add(ImageBytes.Record(ImageId, bytes), bytes);
        var cached = await cache.FetchAsync(ImageId);

        Assert.Equal(2, source.Opens);
        Assert.Equal(bytes.Length, cached.SizeBytes);
    }

    [Fact]
    public async Task Qcow2_image_is_cached_as_a_raw_base_file()
    {
        var qemuImg = new QemuImg(ImageBytes.QemuImg());
        var raw = ImageBytes.Random(1024 * 1024);
        var rawPath = _instances.File("source.raw");
        var qcow2Path = _instances.File("source.qcow2");
        await File.WriteAllBytesAsync(rawPath, raw);
        await qemuImg.ConvertAsync(rawPath, qcow2Path, "qcow2", "raw");
        var qcow2 = await File.ReadAllBytesAsync(qcow2Path);
        var cache = new ImageCache(_instances.Path, new MemoryImageSource().Add(ImageBytes.Record(ImageId, qcow2, "qcow2"), qcow2), qemuImg);

        var cached = await cache.FetchAsync(ImageId);

        Assert.Equal("raw", cached.Format);
        Assert.Equal("raw", (await qemuImg.InfoAsync(cached.Path)).Format);
        Assert.Equal(ImageBytes.Md5(raw), ImageBytes.Md5(cached.Path));
        Assert.Equal(raw.Length, cached.SizeBytes);
        Assert.Equal([ImageCache.BaseName(ImageId), ImageCache.BaseName(ImageId) + ".info"],
            Directory.GetFiles(_instances.File("_base")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Raw_image_keeps_its_bytes_and_properties()
    {
        var bytes = ImageBytes.Random(100_000);
        var properties = new Dictionary<string, string> { ["kernel_id"] = "k-1", ["os_command_line"] = "console=ttyS0" };
        var cache = new ImageCache(_instances.Path, new MemoryImageSource().Add(ImageBytes.Record(ImageId, bytes, "raw", properties), bytes));

        var cached = await cache.FetchAsync(ImageId);

        Assert.Equal("raw", cached.Format);
        Assert.Equal(ImageBytes.Md5(bytes), ImageBytes.Md5(cached.Path));
        Assert.Equal("k-1", cached.Properties["kernel_id"]);
        Assert.Equal("console=ttyS0", cached.Properties["os_command_line"]);
    }

    [Fact]
    public async Task A_base_cached_by_another_process_is_used_without_fetching_and_with_its_properties()
    {
        var bytes = ImageBytes.Random(100_000);
        var properties = new Dictionary<string, string> { ["ramdisk_id"] = "r-1" };
        await new ImageCache(_instances.Path, new MemoryImageSource().Add(ImageBytes.Record(ImageId, bytes, "raw", properties), bytes))
            .FetchAsync(ImageId);
        var source = new MemoryImageSource();

        var cached = await new ImageCache(_instances.Path, source).FetchAsync(ImageId);

        Assert.Equal(0, source.Opens);
        Assert.Equal("r-1", cached.Properties["ramdisk_id"]);
    }

    [Fact]
    public async Task Every_use_touches_the_base_file()
    {
        var bytes = ImageBytes.Random(10_000);
        var cache = new ImageCache(_instances.Path, new MemoryImageSource().Add(ImageBytes.Record(ImageId, bytes), bytes));
        await cache.FetchAsync(ImageId);
        var longAgo = DateTime.UtcNow.AddDays(-3);
        File.SetLastWriteTimeUtc(BaseFile, longAgo);

        await cache.FetchAsync(ImageId);

        Assert.True(File.GetLastWriteTimeUtc(BaseFile) > DateTime.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task Progress_is_reported_in_steps_up_to_the_whole_image()
    {
        var bytes = ImageBytes.Random(4 * 1024 * 1024);
        var cache = new ImageCache(_instances.Path, new MemoryImageSource().Add(ImageBytes.Record(ImageId, bytes), bytes));
        var progress = new RecordedProgress();

        await cache.FetchAsync(ImageId, progress);

        var reports = progress.Reports;
        Assert.InRange(reports.Count, 3, 13);
        Assert.Equal(0, reports[0].BytesDone);
        Assert.Equal(bytes.Length, reports[^1].BytesDone);
        Assert.All(reports, r => Assert.Equal(bytes.Length, r.TotalBytes));
        Assert.Equal(reports.Select(r => r.BytesDone).Order(), reports.Select(r => r.BytesDone));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition never held");
            await Task.Delay(10);
        }
    }
}
