using Akka.Actor;
using Akka.Configuration;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Images;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Messages;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

public sealed class ImageSeederSpecs(ITestOutputHelper output) : ControllerSpec(output)
{
    private const string ImageId = "d1f2e3c4-b5a6-4978-8877-665544332211";

    private ImageSeed Seed(string file, string id = ImageId, string diskFormat = "raw") =>
        new(id, "tiny", file, diskFormat, "bare", 1, 64, new Dictionary<string, string> { ["os_distro"] = "cirros" });

    private async Task<Image?> CatalogImage(IActorRef catalog, string id) =>
        (await catalog.Ask<CatalogView>(GetCatalog.Instance, TimeSpan.FromSeconds(3))).Images.FirstOrDefault(i => i.Id == id);

    [Fact]
    public async Task A_seed_is_imported_once_and_registered_with_its_size_and_checksum()
    {
        var bytes = RandomBytes(500_000);
        var file = ScratchFile("tiny.img");
        await File.WriteAllBytesAsync(file, bytes);
        var store = new ImageStore(ScratchFile("images"));
        var catalog = Sys.ActorOf(CatalogActor.Props());
        var seeder = new ImageSeeder(store, catalog, TimeSpan.FromSeconds(3), Sys.Log);

        await seeder.SeedAsync([Seed(file)]);
        var storedAt = File.GetLastWriteTimeUtc(Path.Combine(store.Path, ImageId));
        File.SetLastWriteTimeUtc(Path.Combine(store.Path, ImageId), storedAt.AddMinutes(-5));
        await seeder.SeedAsync([Seed(file)]);

        Assert.Equal(storedAt.AddMinutes(-5), File.GetLastWriteTimeUtc(Path.Combine(store.Path, ImageId)));
        var image = await CatalogImage(catalog, ImageId);
        Assert.NotNull(image);
        Assert.Equal(bytes.Length, image.SizeBytes);
        Assert.Equal(Md5(bytes), image.Checksum);
        Assert.Equal(("active", "raw", "bare", 1, 64), (image.Status, image.DiskFormat, image.ContainerFormat, image.MinDiskGb, image.MinRamMb));
        Assert.Equal("cirros", image.Properties["os_distro"]);
    }

    [Fact]
    public async Task A_changed_seed_file_is_imported_again()
    {
        var file = ScratchFile("tiny.img");
        await File.WriteAllBytesAsync(file, RandomBytes(4096, seed: 1));
        var store = new ImageStore(ScratchFile("images"));
        var catalog = Sys.ActorOf(CatalogActor.Props());
        var seeder = new ImageSeeder(store, catalog, TimeSpan.FromSeconds(3), Sys.Log);
        await seeder.SeedAsync([Seed(file)]);
        var changed = RandomBytes(4096, seed: 2);
        await File.WriteAllBytesAsync(file, changed);

        await seeder.SeedAsync([Seed(file)]);

        Assert.Equal(Md5(changed), store.Find(ImageId)!.Checksum);
        Assert.Equal(Md5(changed), (await CatalogImage(catalog, ImageId))!.Checksum);
    }

    [Fact]
    public async Task A_seed_with_the_cirros_id_replaces_the_built_in_record()
    {
        var bytes = RandomBytes(100_000);
        var file = ScratchFile("cirros.img");
        await File.WriteAllBytesAsync(file, bytes);
        var catalog = Sys.ActorOf(CatalogActor.Props());
        Assert.Null((await CatalogImage(catalog, Image.CirrosId))!.Checksum);

        await new ImageSeeder(new ImageStore(ScratchFile("images")), catalog, TimeSpan.FromSeconds(3), Sys.Log)
            .SeedAsync([Seed(file, Image.CirrosId, "qcow2") with { Name = "cirros" }]);

        var cirros = await CatalogImage(catalog, Image.CirrosId);
        Assert.Equal((bytes.Length, Md5(bytes)), (cirros!.SizeBytes, cirros.Checksum));
        Assert.Single((await Sys.ActorSelection(catalog.Path).Ask<CatalogView>(GetCatalog.Instance)).Images, i => i.Name == "cirros");
    }

    [Fact]
    public async Task A_seed_whose_file_is_missing_is_skipped()
    {
        var catalog = Sys.ActorOf(CatalogActor.Props());

        var seeded = await new ImageSeeder(new ImageStore(ScratchFile("images")), catalog, TimeSpan.FromSeconds(3), Sys.Log)
            .SeedAsync([Seed(ScratchFile("absent.img"))]);

        Assert.Empty(seeded);
        Assert.Null(await CatalogImage(catalog, ImageId));
    }

    [Fact]
    public void The_seed_list_is_read_from_hocon()
    {
        var config = ConfigurationFactory.ParseString("""
            seed = [{ id = "d1f2e3c4-b5a6-4978-8877-665544332211", name = "tiny", file = "/srv/tiny.img", disk-format = qcow2,
                      container-format = bare, min-disk = 1, min-ram = 64, properties { kernel_id = "k", os_command_line = "console=ttyS0" } }]
            """);

        var seed = Assert.Single(ImageSeed.FromConfig(config));

        Assert.Equal((ImageId, "tiny", "/srv/tiny.img", "qcow2", "bare", 1, 64),
            (seed.Id, seed.Name, seed.File, seed.DiskFormat, seed.ContainerFormat, seed.MinDiskGb, seed.MinRamMb));
        Assert.Equal("console=ttyS0", seed.Properties["os_command_line"]);
        Assert.Equal("k", seed.Properties["kernel_id"]);
    }

    [Theory]
    [InlineData("""seed = [{ id = "../x", file = "/srv/a.img" }]""", "id")]
    [InlineData("""seed = [{ id = "tiny", file = "a.img" }]""", "absolute")]
    [InlineData("""seed = [{ id = "tiny", file = "/srv/a.img", disk-format = vmdk }]""", "disk-format")]
    public void A_bad_seed_entry_is_refused_naming_what_is_wrong(string hocon, string what)
    {
        var error = Assert.Throws<ArgumentException>(() => ImageSeed.FromConfig(ConfigurationFactory.ParseString(hocon)));

        Assert.Contains(what, error.Message);
    }
}
