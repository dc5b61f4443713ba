using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Tests;

public sealed class DiskInfoSpecs : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Is_novas_json_for_the_seed_instance()
    {
        var text = DiskInfo.Serialize(new Dictionary<string, string> { ["/var/lib/nova/instances/f69ab4d9-ed28-406e-8a78-67f62a5e4bc2/disk"] = "qcow2" });

        Assert.Equal("{\"/var/lib/nova/instances/f69ab4d9-ed28-406e-8a78-67f62a5e4bc2/disk\": \"qcow2\"}", text);
    }

    [Fact]
    public async Task Names_the_absolute_disk_path_of_the_instance_directory()
    {
        await DiskInfo.WriteAsync(_dir.Path);

        var formats = await DiskInfo.ReadAsync(_dir.Path);

        Assert.Equal(new Dictionary<string, string> { [Path.Combine(_dir.Path, "disk")] = "qcow2" }, formats);
    }

    [Fact]
    public void Quotes_in_paths_stay_valid_json()
    {
        var text = DiskInfo.Serialize(new Dictionary<string, string> { ["/srv/a\"b/disk"] = "qcow2" });

        Assert.Equal("qcow2", System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("/srv/a\"b/disk").GetString());
    }
}
