using Akka.Actor;
using Akka.Hosting;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Api.Application;

/// <summary>
/// The image application layer (Glance's v2 images and image data) over the catalog's records and the image
/// store's bytes: who sees which image, Glance's create checks and default policies, and the queued → saving →
/// active life of an upload. Bytes are only ever streamed through, never held whole.
/// </summary>
public sealed class ImageService(RegisteredActor catalog, IImageDataStore store, TimeSpan timeout)
{
    public ImageService(IRequiredActor<CatalogKey> catalog, IImageDataStore store, TimeSpan timeout)
        : this(RegisteredActor.Of(catalog), store, timeout)
    {
    }

    public const string Queued = "queued";
    public const string Saving = "saving";
    public const string Active = "active";

    /// <summary>
    /// The images <paramref name="ctx"/> may list: Glance's default is public ones plus the project's own (community
    /// images of others only when asked for by <paramref name="visibility"/>); admins see every image.
    /// </summary>
    public async Task<IReadOnlyList<Image>> List(RequestContext ctx, string? visibility = null)
    {
        var images = (await catalog.AskIdempotent<CatalogView>(GetCatalog.Instance, timeout * NovaService.Attempts, NovaService.Resending)).Images.AsEnumerable();
        if (visibility is not null && visibility != "all")
        {
            ImageSchema.OneOf("visibility", visibility, Image.Visibilities);
            images = images.Where(i => i.Visibility == visibility);
        }
        if (!ctx.IsAdmin)
            images = images.Where(i => i.Visibility == Image.Public || IsOwner(i, ctx)
                                       || (i.Visibility == Image.Community && visibility is Image.Community or "all"));
        return images.ToList();
    }

    /// <summary>An image <paramref name="ctx"/> may see (public, community, its project's, or any for admins); 404 otherwise.</summary>
    public async Task<Image> Show(string id, RequestContext ctx)
    {
        var image = (await catalog.AskIdempotent<CatalogView>(GetCatalog.Instance, timeout * NovaService.Attempts, NovaService.Resending)).Images.FirstOrDefault(i => i.Id == id);
        // Glance does not tell an image the caller may not see from one that does not exist.
        if (image is null || !image.VisibleTo(ctx.ProjectId, ctx.IsAdmin))
            throw new NovaException(404, $"No image found with ID {id}");
        return image;
    }

    /// <summary>An image <paramref name="ctx"/> may see, by id or else by a name only one such image has (glanceclient's lookup).</summary>
    public async Task<Image> Find(string idOrName, RequestContext ctx)
    {
        var visible = await List(ctx, "all");
        if (visible.FirstOrDefault(i => i.Id == idOrName) is { } byId) return byId;
        var named = visible.Where(i => i.Name == idOrName).ToList();
        return named.Count switch
        {
            1 => named[0],
            0 => throw new NovaException(404, $"No image with a name or ID of '{idOrName}' exists."),
            _ => throw new NovaException(409, $"Multiple images are named '{idOrName}': use an ID."),
        };
    }

    /// <summary>Glance's image create: a record in status queued, owned by the caller's project, with no data yet.</summary>
    public async Task<Image> Create(ImageCreation args, RequestContext ctx)
    {
        var id = args.Id ?? Guid.NewGuid().ToString();
        if (!Guid.TryParseExact(id, "D", out _))
            throw ImageSchema.Invalid("id", $"'{id}' does not match '^([0-9a-fA-F]){{8}}-([0-9a-fA-F]){{4}}-([0-9a-fA-F]){{4}}-([0-9a-fA-F]){{4}}-([0-9a-fA-F]){{12}}$'", "pattern");
        var name = ImageSchema.Length("name", args.Name);
        var diskFormat = ImageSchema.OneOf("disk_format", args.DiskFormat, ImageSchema.DiskFormats);
        var containerFormat = ImageSchema.OneOf("container_format", args.ContainerFormat, ImageSchema.ContainerFormats);
        var visibility = ImageSchema.OneOf("visibility", args.Visibility, Image.Visibilities) ?? Image.Shared;
        if (args.MinDiskGb < 0) throw ImageSchema.Invalid("min_disk", $"{args.MinDiskGb} is less than the minimum of 0", "minimum");
        if (args.MinRamMb < 0) throw ImageSchema.Invalid("min_ram", $"{args.MinRamMb} is less than the minimum of 0", "minimum");
        foreach (var tag in args.Tags) ImageSchema.Length("tags", tag);
        foreach (var (key, value) in args.Properties)
        {
            if (ImageSchema.ReadOnly.Contains(key)) throw new NovaException(403, $"Attribute '{key}' is read-only.");
            ImageSchema.Length(key, key);
            ImageSchema.Length(key, value);
        }
        // Glance's default policies: publicize_image is admin only; an image belongs to the caller's project
        // unless an admin gives it to another.
        if (visibility == Image.Public && !ctx.IsAdmin)
            throw new NovaException(403, "You are not authorized to complete publicize_image action.");
        var owner = args.Owner ?? ctx.ProjectId;
        if (owner != ctx.ProjectId && !ctx.IsAdmin)
            throw new NovaException(403, $"You are not permitted to create images owned by '{owner}'.");

        var image = new Image(id, name ?? "", Queued, diskFormat ?? "", containerFormat ?? "", 0, args.MinDiskGb, args.MinRamMb,
            args.Properties, DateTimeOffset.UtcNow, Checksum: null, Owner: owner, Visibility: visibility)
        {
            Tags = args.Tags.Distinct(StringComparer.Ordinal).ToList(),
        };
        await Tell(new CreateImage(image));
        return image;
    }

    /// <summary>
    /// Glance's image update (PATCH): the operations applied in order by <see cref="ImagePatch"/>, then stored only
    /// if the image is still the record they were applied to (409 if another request changed it meanwhile); by its
    /// owner or an admin (modify_image). Not while its bytes are being uploaded (409): the upload would otherwise
    /// have to choose between the update and its own result. A refused operation leaves the image as it was.
    /// </summary>
    public async Task<Image> Update(string id, IReadOnlyList<ImagePatchOperation> operations, RequestContext ctx)
    {
        var image = await Show(id, ctx);
        RequireOwner(image, ctx, "modify_image");
        if (image.Status == Saving)
            throw new NovaException(409, $"Image {id} is being uploaded; change it once its upload has ended.");
        var updated = ImagePatch.Apply(image, operations, ctx);
        if (!updated.SameContentAs(image)) await Tell(new UpdateImage(updated, image));
        return updated;
    }

    /// <summary>
    /// Glance's image data upload: streams <paramref name="content"/> into the store while the image is saving,
    /// then makes it active with the store's size and md5. A queued image only (409 otherwise); if the upload
    /// fails (the body is cut or too large) nothing is kept and the image is queued again.
    /// </summary>
    public async Task<Image> Upload(string id, Stream content, RequestContext ctx, CancellationToken ct = default)
    {
        var image = await Show(id, ctx);
        RequireOwner(image, ctx, "upload_image");
        if (image.Status != Queued)
            throw new NovaException(409, $"Image status transition from {image.Status} to {Saving} is not allowed");
        if (image.DiskFormat.Length == 0 || image.ContainerFormat.Length == 0)
            throw new NovaException(400, "Properties disk_format, container_format must be set prior to saving data.");

        var saving = image with { Status = Saving };
        await Tell(new UpdateImage(saving, image));
        ImageData data;
        try
        {
            data = await store.ImportAsync(id, content, ct);
        }
        catch
        {
            // The store removed its partial file; give the record back to the next attempt. Not cancellable: the
            // request that would cancel it is the one that just failed.
            try
            {
                await catalog.Ask<object>(new UpdateImage(image, saving), timeout);
            }
            catch (AskTimeoutException)
            {
                // The upload's own failure is the one to report; the image stays saving until retried by an admin.
            }
            throw;
        }

        var active = saving with { Status = Active, SizeBytes = data.SizeBytes, Checksum = data.Checksum };
        try
        {
            await Tell(new UpdateImage(active, saving));
        }
        catch (NovaException gone) when (gone.Code == 404)
        {
            // Deleted while its bytes were arriving: the delete could not remove bytes not yet stored.
            store.Delete(id);
            throw;
        }
        return active;
    }

    /// <summary>The image and its bytes for download; no bytes (Glance's 204) while it has none.</summary>
    public async Task<ImageDownload> Download(string id, RequestContext ctx)
    {
        var image = await Show(id, ctx);
        if (image.Status == Queued || store.Find(id) is not { } data) return new ImageDownload(image, null, null);
        try
        {
            return new ImageDownload(image, data, store.OpenRead(id));
        }
        catch (FileNotFoundException)
        {
            // Deleted between the look-up and the open.
            return new ImageDownload(image, null, null);
        }
    }

    /// <summary>Glance's image delete: the record, then the bytes; by its owner or an admin (delete_image).</summary>
    public async Task Delete(string id, RequestContext ctx)
    {
        var image = await Show(id, ctx);
        RequireOwner(image, ctx, "delete_image");
        await Tell(new DeleteImage(id));
        store.Delete(id);
    }

    private static bool IsOwner(Image image, RequestContext ctx) => image.Owner is not null && image.Owner == ctx.ProjectId;

    /// <summary>Glance's default for acting on an image: "role:admin or project_id:%(owner)s".</summary>
    private static void RequireOwner(Image image, RequestContext ctx, string action)
    {
        if (!ctx.IsAdmin && !IsOwner(image, ctx))
            throw new NovaException(403, $"You are not authorized to complete {action} action.");
    }

    private async Task Tell(object change)
    {
        switch (await catalog.Ask<object>(change, timeout))
        {
            case CatalogChanged: return;
            case CatalogRejected rejected: throw new NovaException(rejected.Code, rejected.Message);
            case var other: throw new NovaException(500, $"Unexpected reply {other.GetType().Name}");
        }
    }
}
