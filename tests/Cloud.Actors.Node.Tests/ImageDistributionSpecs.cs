using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Cloud.Actors.Compute.Images;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Node;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// A controller and a compute host as two actor systems joined over remoting, composed as the node program composes
/// them: the controller seeds an image from HOCON, the host's image cache pulls it through /user/images' SourceRef.
/// </summary>
public sealed class ImageDistributionSpecs : IAsyncLifetime
{
    private const string ImageId = "6a3c5d0e-2f7b-4d11-9c8e-1b2a3c4d5e6f";
    private readonly string _root = Directory.CreateTempSubdirectory("cloud-actors-images-").FullName;
    private readonly byte[] _image = new byte[3 * 1024 * 1024 + 12_345];
    private readonly List<IHost> _hosts = [];
    private NodeSettings _computeSettings = null!;
    private ActorSystem _compute = null!;
    private ImageService _images = null!;

    public async Task InitializeAsync()
    {
        new Random(7).NextBytes(_image);
        var file = Path.Combine(_root, "tiny.img");
        await File.WriteAllBytesAsync(file, _image);
        var seed = $$"""
            cloud-actors.images.seed = [{
              id = "{{ImageId}}", name = "tiny", file = {{JsonSerializer.Serialize(file)}}, disk-format = raw,
              container-format = bare, properties { os_distro = "cirros", os_command_line = "console=ttyS0" }
            }]
            """;
        _computeSettings = Settings("compute1", NodeRoles.Compute, "");
        _hosts.AddRange(await Task.WhenAll(
            CloudActorsHosting.StartNodeAsync(Settings("controller", NodeRoles.Controller, seed), new CloudComposition { Formation = ClusterFormation.Manual }),
            CloudActorsHosting.StartNodeAsync(_computeSettings, new CloudComposition { Formation = ClusterFormation.Manual })));
        var controller = _hosts[0].Services.GetRequiredService<ActorSystem>();
        _compute = _hosts[1].Services.GetRequiredService<ActorSystem>();
        _images = _hosts[0].Services.GetRequiredService<ImageService>();

        var seedAddress = Cluster.Get(controller).SelfAddress;
        foreach (var system in new[] { controller, _compute }) Cluster.Get(system).Join(seedAddress);
        await Eventually.True(() => Task.FromResult(
            Cluster.Get(_compute).State.Members.Count(m => m.Status == MemberStatus.Up) == 2), "2 members Up");
        // The controller seeds its images once the catalog answers, beside its start.
        await Eventually.True(async () => (await _images.List(RequestContext.ShellAdmin)).Any(i => i.Id == ImageId && i.Status == "active"),
            "the seed image is registered");
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            host.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_compute_host_caches_a_seeded_image_streamed_from_the_controller()
    {
        var cache = NodeImages.Cache(_compute, _computeSettings);

        var cached = await cache.FetchAsync(ImageId);

        Assert.Equal(Path.Combine(_root, "compute1", "instances", "_base", ImageCache.BaseName(ImageId)), cached.Path);
        Assert.Equal(_image.Length, cached.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(_image)), Convert.ToHexStringLower(MD5.HashData(await File.ReadAllBytesAsync(cached.Path))));
        Assert.Equal("console=ttyS0", cached.Properties["os_command_line"]);
    }

    [Fact]
    public async Task The_offer_carries_the_stored_size_and_md5()
    {
        var source = new ClusterImageSource(_compute, TimeSpan.FromSeconds(10));

        await using var download = await source.OpenAsync(ImageId);
        using var md5 = MD5.Create();
        var checksum = Convert.ToHexStringLower(await md5.ComputeHashAsync(download.Content));

        Assert.Equal(_image.Length, download.Image.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(_image)), download.Image.Checksum);
        Assert.Equal(download.Image.Checksum, checksum);
    }

    [Fact]
    public async Task An_image_uploaded_through_the_image_api_is_cached_by_a_compute_host()
    {
        // The controller's ImageService as the REST API gets it, uploading as the demo project would.
        var images = _images;
        var demo = new Cloud.Actors.Api.Application.RequestContext("d7528db6423e4029902ab06e413dfb9c", "205df75c21554477b91ad6c43912a413", IsAdmin: false);
        var created = await images.Create(new Cloud.Actors.Api.Application.ImageCreation
        {
            Name = "subida", DiskFormat = "raw", ContainerFormat = "bare", Visibility = "private",
        }, demo);
        var bytes = new byte[2 * 1024 * 1024 + 777];
        new Random(11).NextBytes(bytes);
        await images.Upload(created.Id, new MemoryStream(bytes), demo);

        var cached = await NodeImages.Cache(_compute, _computeSettings).FetchAsync(created.Id);

        Assert.Equal(bytes.Length, cached.SizeBytes);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(cached.Path));
    }

    [Fact]
    public async Task A_queued_image_is_refused_to_compute_hosts_as_not_active()
    {
        var images = _images;
        var created = await images.Create(new Cloud.Actors.Api.Application.ImageCreation { Name = "en-cola", DiskFormat = "raw", ContainerFormat = "bare" },
            Cloud.Actors.Api.Application.RequestContext.ShellAdmin);
        var source = new ClusterImageSource(_compute, TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<ImageUnavailableException>(() => source.OpenAsync(created.Id));

        Assert.Equal(409, error.Code);
    }

    [Fact]
    public async Task An_image_without_data_is_refused_with_not_found()
    {
        var source = new ClusterImageSource(_compute, TimeSpan.FromSeconds(10));

        // The built-in cirros record has no bytes in the store: it serves the fake driver only.
        var error = await Assert.ThrowsAsync<ImageUnavailableException>(() => source.OpenAsync("4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed"));

        Assert.Equal(404, error.Code);
        Assert.Contains("no data", error.Message);
    }

    private NodeSettings Settings(string name, string roles, string extraHocon)
    {
        var env = new Dictionary<string, string>
        {
            ["CLOUD_ACTORS_NODE"] = name,
            ["CLOUD_ACTORS_ROLES"] = roles,
            ["CLOUD_ACTORS_PORT"] = "0",
            ["CLOUD_ACTORS_STATE_DIR"] = Path.Combine(_root, name),
            ["CLOUD_ACTORS_DRIVER"] = "fake",
        };
        var loaded = NodeSettings.Load(InProcessCluster.HoconDir, v => env.GetValueOrDefault(v));
        return new NodeSettings(ConfigurationFactory.ParseString(extraHocon).WithFallback(loaded.Config));
    }
}
