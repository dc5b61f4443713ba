using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Tests;

public sealed class ConfigDriveSpecs : IDisposable
{
    private static readonly InstanceMetadata Test2 = new()
    {
        Uuid = Guid.Parse("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2"),
        Name = "test2",
        InstanceNumber = 0x1c,
        PublicKeys = new Dictionary<string, string> { ["miclave"] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest user@host" },
    };

    private readonly TempDirectory _dir = new();

    public ConfigDriveSpecs() => RequiredTool.Find("genisoimage", "genisoimage");

    public void Dispose() => _dir.Dispose();

    private async Task<string> Built(InstanceMetadata metadata)
    {
        var iso = _dir.File("disk.config");
        await new ConfigDrive().BuildAsync(metadata, iso);
        return iso;
    }

    // isoinfo comes with genisoimage; reading the ISO through it needs no mount.
    private static string IsoFile(string iso, string pathInIso)
    {
        var start = new ProcessStartInfo(RequiredTool.Find("isoinfo", "genisoimage")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-R", "-i", iso, "-x", pathInIso }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    [Fact]
    public async Task Iso_is_labelled_config_2()
    {
        var iso = await Built(Test2);

        // The primary volume descriptor is sector 16 (0x8000); its volume identifier is 32 bytes at offset 40.
        var label = new byte[32];
        await using (var file = File.OpenRead(iso))
        {
            file.Seek(0x8028, SeekOrigin.Begin);
            await file.ReadExactlyAsync(label);
        }

        Assert.Equal("config-2", Encoding.ASCII.GetString(label).TrimEnd(' '));
    }

    [Fact]
    public async Task Openstack_meta_data_names_the_instance()
    {
        var iso = await Built(Test2);

        using var json = JsonDocument.Parse(IsoFile(iso, "/openstack/latest/meta_data.json"));
        var root = json.RootElement;
        Assert.Equal("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2", root.GetProperty("uuid").GetString());
        Assert.Equal("test2", root.GetProperty("name").GetString());
        Assert.Equal("test2.novalocal", root.GetProperty("hostname").GetString());
        Assert.Equal(0, root.GetProperty("launch_index").GetInt32());
        Assert.Equal("nova", root.GetProperty("availability_zone").GetString());
        Assert.Equal(Test2.PublicKeys["miclave"], root.GetProperty("public_keys").GetProperty("miclave").GetString());
    }

    [Fact]
    public async Task Ec2_meta_data_has_the_ec2_instance_id()
    {
        var iso = await Built(Test2);

        using var json = JsonDocument.Parse(IsoFile(iso, "/ec2/latest/meta-data.json"));
        var root = json.RootElement;
        Assert.Equal("i-0000001c", root.GetProperty("instance-id").GetString());
        Assert.Equal("test2.novalocal", root.GetProperty("local-hostname").GetString());
        Assert.Equal("nova", root.GetProperty("placement").GetProperty("availability-zone").GetString());
        Assert.Equal(Test2.PublicKeys["miclave"], root.GetProperty("public-keys").GetProperty("0").GetProperty("openssh-key").GetString());
    }

    [Fact]
    public async Task Unicode_name_is_stored_verbatim()
    {
        var iso = await Built(Test2 with { Name = "niño 名前" });

        var text = IsoFile(iso, "/openstack/latest/meta_data.json");

        Assert.Contains("\"name\":\"niño 名前\"", text);
        Assert.Equal("niño 名前", JsonDocument.Parse(text).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task User_data_is_written_when_given()
    {
        var iso = await Built(Test2 with { UserData = "#!/bin/sh\necho hi\n"u8.ToArray() });

        Assert.Equal("#!/bin/sh\necho hi\n", IsoFile(iso, "/openstack/latest/user_data"));
    }

    [Fact]
    public async Task Rebuilding_replaces_the_drive_and_leaves_no_partial_file()
    {
        await Built(Test2);
        var iso = await Built(Test2 with { Name = "renamed" });

        Assert.Contains("renamed", IsoFile(iso, "/openstack/latest/meta_data.json"));
        Assert.Equal(["disk.config"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }
}
