using Cloud.Actors.Controller.Images;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

public sealed class ImageStoreSpecs(ITestOutputHelper output) : ControllerSpec(output)
{
    private const string ImageId = "0b5e6c1a-9f3e-4c57-8a4e-6d2f0c1b7a99";

    [Fact]
    public async Task Import_streams_the_bytes_into_a_file_named_by_the_id_with_their_size_and_md5()
    {
        var store = new ImageStore(ScratchFile("images"));
        var bytes = RandomBytes(700_000);

        var stored = await store.ImportAsync(ImageId, new MemoryStream(bytes));

        Assert.Equal(Path.Combine(store.Path, ImageId), stored.Path);
        Assert.Equal(bytes.Length, stored.SizeBytes);
        Assert.Equal(Md5(bytes), stored.Checksum);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(stored.Path));
        Assert.Equal(stored, store.Find(ImageId));
        Assert.DoesNotContain(System.IO.Directory.GetFiles(store.Path), f => f.EndsWith(".part", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_replaces_earlier_bytes()
    {
        var store = new ImageStore(ScratchFile("images"));
        await store.ImportAsync(ImageId, new MemoryStream(RandomBytes(1000, seed: 1)));
        var newer = RandomBytes(2000, seed: 2);

        await store.ImportAsync(ImageId, new MemoryStream(newer));

        Assert.Equal(Md5(newer), store.Find(ImageId)!.Checksum);
        await using var read = store.OpenRead(ImageId);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(newer, copy.ToArray());
    }

    [Fact]
    public void An_image_never_imported_is_not_found()
    {
        var store = new ImageStore(ScratchFile("images"));

        Assert.Null(store.Find(ImageId));
        Assert.Throws<FileNotFoundException>(() => store.OpenRead(ImageId));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("x.json")]
    [InlineData("")]
    public async Task Ids_that_are_not_uuids_or_plain_tokens_never_become_paths(string id)
    {
        var store = new ImageStore(ScratchFile("images"));

        await Assert.ThrowsAsync<ArgumentException>(() => store.ImportAsync(id, new MemoryStream([1, 2, 3])));
        Assert.DoesNotContain(System.IO.Directory.GetFileSystemEntries(Scratch, "*", SearchOption.AllDirectories),
            p => !p.StartsWith(store.Path, StringComparison.Ordinal));
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(store.Path));
    }
}
