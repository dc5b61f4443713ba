using Cloud.Actors.Node;

namespace Cloud.Actors.Node.Tests;

public sealed class NodeSettingsSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cloud-actors-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private NodeSettings Load(Dictionary<string, string> env)
    {
        env.TryAdd("CLOUD_ACTORS_STATE_DIR", Path.Combine(_dir, "state"));
        env.TryAdd("CLOUD_ACTORS_ROLES", "compute");
        return NodeSettings.Load(InProcessCluster.HoconDir, v => env.GetValueOrDefault(v));
    }

    private string Site(string name, string hocon)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, hocon);
        return path;
    }

    [Fact]
    public void Site_files_override_the_hocon_directory()
    {
        var site = Site("site.conf", "cloud-actors.compute.availability-zone = \"zona-1\"");

        var settings = Load(new() { ["CLOUD_ACTORS_CONFIG"] = site });

        Assert.Equal("zona-1", settings.Config.GetString("cloud-actors.compute.availability-zone"));
    }

    [Fact]
    public void Environment_overrides_win_over_site_files_and_earlier_site_files_over_later_ones()
    {
        var first = Site("first.conf", "cloud-actors.compute.driver = \"fake\"\ncloud-actors.compute.availability-zone = \"first\"");
        var second = Site("second.conf", "cloud-actors.compute.driver = \"other\"\ncloud-actors.compute.availability-zone = \"second\"");

        var settings = Load(new() { ["CLOUD_ACTORS_CONFIG"] = $"{first}:{second}", ["CLOUD_ACTORS_DRIVER"] = "libvirt" });

        Assert.Equal("libvirt", settings.Config.GetString("cloud-actors.compute.driver"));
        Assert.Equal("first", settings.Config.GetString("cloud-actors.compute.availability-zone"));
    }

    [Fact]
    public void A_missing_site_file_is_an_error_naming_the_variable_and_the_file()
    {
        var missing = Path.Combine(_dir, "nope.conf");

        var error = Assert.Throws<ArgumentException>(() => Load(new() { ["CLOUD_ACTORS_CONFIG"] = missing }));

        Assert.Contains("CLOUD_ACTORS_CONFIG", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void The_node_address_moves_remoting_management_and_the_rest_api_but_not_the_admin_shell()
    {
        var settings = Load(new() { ["CLOUD_ACTORS_ADDRESS"] = "10.250.0.21" });

        Assert.Equal("10.250.0.21", settings.Hostname);
        Assert.Equal("10.250.0.21", settings.ManagementHost);
        Assert.Equal("10.250.0.21", settings.Config.GetString("cloud-actors.api.host"));
        Assert.Equal("127.0.0.1", settings.ShellHost);
    }

    [Fact]
    public void The_shell_leaves_loopback_only_when_its_own_variable_says_so()
    {
        var settings = Load(new() { ["CLOUD_ACTORS_ADDRESS"] = "10.250.0.21", ["CLOUD_ACTORS_SHELL_HOST"] = "10.250.0.21" });

        Assert.Equal("10.250.0.21", settings.ShellHost);
    }

    [Theory]
    [InlineData("controller.example")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void A_management_host_other_nodes_cannot_reach_is_refused_naming_the_variable(string host)
    {
        var error = Assert.Throws<ArgumentException>(() => Load(new() { ["CLOUD_ACTORS_MANAGEMENT_HOST"] = host }));

        Assert.Contains("CLOUD_ACTORS_MANAGEMENT_HOST", error.Message);
        Assert.Contains(host, error.Message);
    }

    [Fact]
    public void A_wildcard_remoting_address_is_refused_naming_the_variable()
    {
        var error = Assert.Throws<ArgumentException>(() => Load(new() { ["CLOUD_ACTORS_HOSTNAME"] = "0.0.0.0" }));

        Assert.Contains("CLOUD_ACTORS_HOSTNAME", error.Message);
    }
}
