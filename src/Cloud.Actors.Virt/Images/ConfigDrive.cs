using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Virt.Images;

/// <summary>
/// Builds an instance's disk.config: an ISO 9660 image (Joliet and Rock Ridge) labelled config-2, the
/// label cloud-init and our guest look for, holding the instance's metadata as Nova lays it out.
/// </summary>
public sealed class ConfigDrive(TimeSpan? timeout = null)
{
    public const string VolumeLabel = "config-2";

    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(1);

    // Names in the JSON stay readable UTF-8 (test2, niño, 名前) rather than \u escapes: a busybox init reads them with sed.
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>
    /// Writes the config drive of <paramref name="metadata"/> to <paramref name="isoPath"/>, replacing it
    /// whole: the ISO is built beside it and renamed, so a crash never leaves a half-written disk.config.
    /// </summary>
    public async Task BuildAsync(InstanceMetadata metadata, string isoPath, CancellationToken ct = default)
    {
        var tool = ExternalCommand.FindOnPath("genisoimage", "xorriso")
            ?? throw new ImageToolException("neither genisoimage nor xorriso is installed; run ./cluster.sh setup", "genisoimage");
        var target = Path.GetFullPath(isoPath);
        var partial = target + ".partial";
        var contents = Directory.CreateTempSubdirectory("cloud-actors-config-drive-");
        try
        {
            await WriteContentsAsync(metadata, contents.FullName, ct);
            var arguments = new List<string>();
            // xorriso speaks genisoimage's language only when asked to.
            if (Path.GetFileName(tool) == "xorriso") arguments.AddRange(["-as", "mkisofs"]);
            // Nova's options: Joliet (-J) and Rock Ridge (-r) names, relaxed ISO names so meta_data.json keeps its spelling.
            arguments.AddRange([
                "-o", partial,
                "-ldots", "-allow-lowercase", "-allow-multidot", "-l",
                "-publisher", "Cloud.Actors",
                "-quiet", "-J", "-r",
                "-V", VolumeLabel,
                contents.FullName,
            ]);
            await ExternalCommand.RunAsync(tool, arguments, _timeout, ct);
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            contents.Delete(recursive: true);
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>Lays out the drive's files under <paramref name="root"/>, as the ISO will hold them.</summary>
    public static async Task WriteContentsAsync(InstanceMetadata metadata, string root, CancellationToken ct = default)
    {
        var openstack = Directory.CreateDirectory(Path.Combine(root, "openstack", "latest")).FullName;
        var ec2 = Directory.CreateDirectory(Path.Combine(root, "ec2", "latest")).FullName;
        await WriteJsonAsync(Path.Combine(openstack, "meta_data.json"), metadata.OpenStackMetaData(), ct);
        await WriteJsonAsync(Path.Combine(ec2, "meta-data.json"), metadata.Ec2MetaData(), ct);
        if (metadata.UserData is { } userData)
        {
            await File.WriteAllBytesAsync(Path.Combine(openstack, "user_data"), userData, ct);
            await File.WriteAllBytesAsync(Path.Combine(ec2, "user-data"), userData, ct);
        }
    }

    private static Task WriteJsonAsync(string path, JsonObject data, CancellationToken ct) =>
        File.WriteAllTextAsync(path, data.ToJsonString(Json), ct);
}
