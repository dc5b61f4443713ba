using Akka.Actor;
using Akka.Event;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Controller.Images;

/// <summary>
/// Brings the configured seed images into the store and the catalog at a controller's start: a file is copied
/// only when the store lacks it or holds other bytes, and the catalog is told only when its record differs, so a
/// restart with the same seeds writes nothing.
/// </summary>
public sealed class ImageSeeder(ImageStore store, IActorRef catalog, TimeSpan askTimeout, ILoggingAdapter log)
{
    /// <summary>Seeds each image; a seed whose file is missing is logged and skipped. Returns the records now in the catalog.</summary>
    public async Task<IReadOnlyList<Image>> SeedAsync(IEnumerable<ImageSeed> seeds, CancellationToken ct = default)
    {
        var registered = new List<Image>();
        foreach (var seed in seeds)
        {
            if (!File.Exists(seed.File))
            {
                log.Error("Image seed {0} ({1}): file {2} does not exist; not seeded", seed.Id, seed.Name, seed.File);
                continue;
            }
            var stored = await ImportAsync(seed, ct);
            registered.Add(await RegisterAsync(seed, stored));
        }

        return registered;
    }

    private async Task<StoredImage> ImportAsync(ImageSeed seed, CancellationToken ct)
    {
        var existing = store.Find(seed.Id);
        if (existing is not null && existing.SizeBytes == new FileInfo(seed.File).Length)
        {
            await using var current = File.OpenRead(seed.File);
            var (_, checksum) = await ImageStore.ChecksumAsync(current, ct);
            if (checksum == existing.Checksum) return existing;
        }

        await using var source = new FileStream(seed.File, FileMode.Open, FileAccess.Read, FileShare.Read, ImageStore.ChunkSize, useAsync: true);
        var imported = await store.ImportAsync(seed.Id, source, ct);
        log.Info("Image seed {0} ({1}): imported {2} ({3} bytes, md5 {4})", seed.Id, seed.Name, seed.File, imported.SizeBytes, imported.Checksum);
        return imported;
    }

    private async Task<Image> RegisterAsync(ImageSeed seed, StoredImage stored)
    {
        var view = await catalog.Ask<CatalogView>(GetCatalog.Instance, askTimeout);
        var current = view.Images.FirstOrDefault(i => i.Id == seed.Id);
        var image = new Image(seed.Id, seed.Name, "active", seed.DiskFormat, seed.ContainerFormat, stored.SizeBytes,
            seed.MinDiskGb, seed.MinRamMb, seed.Properties, current?.CreatedAt ?? DateTimeOffset.UtcNow, stored.Checksum);
        if (current is not null && current.SameContentAs(image)) return current;

        var answer = await catalog.Ask<object>(new RegisterImage(image), askTimeout);
        if (answer is CatalogRejected rejected)
            throw new InvalidOperationException($"Image seed {seed.Id}: the catalog refused it: {rejected.Message}");
        log.Info("Image seed {0} ({1}): registered in the catalog ({2} bytes, md5 {3})", seed.Id, seed.Name, image.SizeBytes, image.Checksum);
        return image;
    }
}
