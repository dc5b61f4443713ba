using System.CommandLine;
using System.Globalization;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Catalog;
using static Cloud.Actors.Api.Shell.ShellAction;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// <c>image list | show | create | delete</c> on a controller: the image store as glanceclient shows it, over
/// the same <see cref="ImageService"/> as the REST image API, acting as the cloud's admin. <c>create --file</c>
/// streams a file of the controller's host into the store (queued, saving, active), as
/// <c>glance image-create --file</c> does through the API.
/// </summary>
public sealed class ImagePalette(ImageService images) : IShellPalette
{
    private static readonly RequestContext Ctx = RequestContext.ShellAdmin;

    public string Name => "image";

    public string Description => "The controller's images: list, show, create (from a file on this host), delete";

    public Command Build() => new(Name, Description) { List(), Show(), Create(), Delete() };

    private Command List()
    {
        var command = new Command("list", "Every image, with its status, size and checksum.");
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var table = new TextTable("ID", "Name", "Disk Format", "Container Format", "Size", "Status", "Visibility", "Checksum");
            foreach (var i in (await images.List(Ctx, "all")).OrderBy(i => i.Name, StringComparer.Ordinal))
                table.AddRow(i.Id, i.Name, i.DiskFormat, i.ContainerFormat,
                    i.Status == ImageService.Queued ? "" : i.SizeBytes.ToString(CultureInfo.InvariantCulture),
                    i.Status, i.Visibility, i.Checksum ?? "");
            await output.WriteLineAsync(table.Render());
            return 0;
        }));
        return command;
    }

    private Command Show()
    {
        var image = new Argument<string>("image") { Description = "ID or name of the image." };
        var command = new Command("show", "The image's Property | Value table.") { image };
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            await output.WriteAsync(PropertyTable(Rows(await images.Find(pr.GetValue(image)!, Ctx))));
            return 0;
        }));
        return command;
    }

    private Command Create()
    {
        var file = new Option<FileInfo>("--file") { Description = "A file on the controller's host with the image's bytes.", Required = true };
        var diskFormat = new Option<string>("--disk-format") { Description = "qcow2, raw, iso ...", Required = true };
        var containerFormat = new Option<string>("--container-format") { Description = "bare (default), ovf ...", DefaultValueFactory = _ => "bare" };
        var visibility = new Option<string>("--visibility") { Description = "public, private, shared (default) or community." };
        var minDisk = new Option<int>("--min-disk") { Description = "Root disk the image needs, in GB." };
        var minRam = new Option<int>("--min-ram") { Description = "Memory the image needs, in MB." };
        var name = new Argument<string>("name") { Description = "Name of the new image." };
        var command = new Command("create", "Create an image from a file on this host and upload its bytes into the store.")
        {
            file, diskFormat, containerFormat, visibility, minDisk, minRam, name,
        };
        command.SetAction((pr, ct) => Run(pr, async output =>
        {
            var source = pr.GetValue(file)!;
            Stream content;
            try
            {
                content = source.OpenRead();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NovaException(400, $"--file {source.FullName}: {e.Message}");
            }
            await using (content)
            {
                var created = await images.Create(new ImageCreation
                {
                    Name = pr.GetValue(name), DiskFormat = pr.GetValue(diskFormat), ContainerFormat = pr.GetValue(containerFormat),
                    Visibility = pr.GetValue(visibility), MinDiskGb = pr.GetValue(minDisk), MinRamMb = pr.GetValue(minRam),
                }, Ctx);
                Image active;
                try
                {
                    active = await images.Upload(created.Id, content, Ctx, ct);
                }
                catch
                {
                    // An image without its bytes would only be clutter: the failed create leaves nothing.
                    try { await images.Delete(created.Id, Ctx); }
                    catch (Exception) { /* the upload's failure is the one to report */ }
                    throw;
                }
                await output.WriteAsync(PropertyTable(Rows(active)));
            }
            return 0;
        }));
        return command;
    }

    private Command Delete()
    {
        var image = new Argument<string>("image") { Description = "ID or name of the image." };
        var command = new Command("delete", "Delete the image and its bytes.") { image };
        command.SetAction((pr, _) => Run(pr, async output =>
        {
            var found = await images.Find(pr.GetValue(image)!, Ctx);
            await images.Delete(found.Id, Ctx);
            await output.WriteLineAsync($"Deleted image {found.Id} ({found.Name}).");
            return 0;
        }));
        return command;
    }

    private static IEnumerable<(string, string)> Rows(Image i)
    {
        yield return ("checksum", i.Checksum ?? "");
        yield return ("container_format", i.ContainerFormat);
        yield return ("created_at", i.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        yield return ("disk_format", i.DiskFormat);
        yield return ("id", i.Id);
        yield return ("min_disk", i.MinDiskGb.ToString(CultureInfo.InvariantCulture));
        yield return ("min_ram", i.MinRamMb.ToString(CultureInfo.InvariantCulture));
        yield return ("name", i.Name);
        yield return ("owner", i.Owner ?? "");
        foreach (var (key, value) in i.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) yield return (key, value);
        yield return ("size", i.Status == ImageService.Queued ? "" : i.SizeBytes.ToString(CultureInfo.InvariantCulture));
        yield return ("status", i.Status);
        yield return ("tags", string.Join(", ", i.Tags));
        yield return ("visibility", i.Visibility);
    }
}
