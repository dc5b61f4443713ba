using System.Security.Cryptography;
using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>The shell's `image` palette over the same ImageService and image store as the REST image API.</summary>
[Collection(RestCloudCollection.Name)]
public sealed class ImagePaletteSpecs(RestCloud cloud) : IDisposable
{
    private readonly ShellDispatcher _dispatcher = new([new ImagePalette(cloud.Images)]);
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"image-palette-{Guid.NewGuid():N}.raw");

    public void Dispose() => File.Delete(_file);

    private Task<int> Run(params string[] args) => _dispatcher.ExecuteAsync(args, _output, _error, CancellationToken.None);

    private static string Squeezed(string text) => System.Text.RegularExpressions.Regex.Replace(text, " +", " ");

    [Fact]
    public async Task Create_uploads_a_file_of_this_host_then_list_show_and_delete_see_it()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(_file, bytes);

        Assert.Equal(0, await Run("image", "create", "--file", _file, "--disk-format", "raw", "--min-disk", "1", "paleta <&> ñ"));

        var created = Squeezed(_output.ToString());
        Assert.Contains("| status | active |", created);
        Assert.Contains($"| size | {bytes.Length} |", created);
        Assert.Contains($"| checksum | {Convert.ToHexStringLower(MD5.HashData(bytes))} |", created);
        var id = (await cloud.Images.List(Application.RequestContext.ShellAdmin)).Single(i => i.Name == "paleta <&> ñ").Id;
        Assert.Equal(bytes, await File.ReadAllBytesAsync(cloud.ImageStore.Find(id)!.Path));

        _output.GetStringBuilder().Clear();
        Assert.Equal(0, await Run("image", "list"));
        Assert.Contains($"| {id} | paleta <&> ñ | raw | bare | {bytes.Length} | active |", Squeezed(_output.ToString()));
        Assert.Equal(0, await Run("image", "show", "paleta <&> ñ"));

        Assert.Equal(0, await Run("image", "delete", id));
        Assert.DoesNotContain(await cloud.Images.List(Application.RequestContext.ShellAdmin), i => i.Id == id);
    }

    [Fact]
    public async Task A_missing_file_or_a_bad_format_is_an_error_and_creates_nothing()
    {
        var before = (await cloud.Images.List(Application.RequestContext.ShellAdmin)).Count;

        Assert.Equal(1, await Run("image", "create", "--file", _file + ".missing", "--disk-format", "raw", "nada"));
        Assert.Contains("--file", _error.ToString());
        await File.WriteAllBytesAsync(_file, [1, 2, 3]);
        Assert.Equal(1, await Run("image", "create", "--file", _file, "--disk-format", "floppy", "nada"));
        Assert.Contains("disk_format", _error.ToString());

        Assert.Equal(before, (await cloud.Images.List(Application.RequestContext.ShellAdmin)).Count);
    }

    [Fact]
    public async Task Show_of_an_unknown_image_is_not_found()
    {
        Assert.Equal(1, await Run("image", "show", "no-such-image"));

        Assert.Contains("ERROR (NotFound): No image with a name or ID of 'no-such-image' exists. (HTTP 404)", _error.ToString());
    }
}
