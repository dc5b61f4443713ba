using Cloud.Actors.Api.Rest;
using Cloud.Actors.Api.Rest.Identity;

namespace Cloud.Actors.Node.Tests;

/// <summary>The shipped cloud-actors.api HOCON and its environment overrides, as the controller reads them.</summary>
public sealed class RestSettingsSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cloud-actors-rest-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RestOptions Load(Dictionary<string, string>? env = null)
    {
        env ??= [];
        env.TryAdd("CLOUD_ACTORS_STATE_DIR", Path.Combine(_dir, "state"));
        env.TryAdd("CLOUD_ACTORS_ROLES", "controller");
        var settings = NodeSettings.Load(InProcessCluster.HoconDir, v => env.GetValueOrDefault(v));
        return RestOptions.FromConfig(settings.Config.GetConfig("cloud-actors.api"));
    }

    [Fact]
    public void The_defaults_are_devstacks_ports_on_127_0_0_1_with_novas_body_limit()
    {
        var options = Load();
        Assert.True(options.Enabled);
        Assert.Equal(("127.0.0.1", 5000, 8774, 9292, 9696), (options.Host, options.IdentityPort, options.ComputePort, options.ImagePort, options.NetworkPort));
        Assert.Equal(114688, options.MaxBodyBytes);
        Assert.Equal(20L * 1024 * 1024 * 1024, options.MaxImageBytes);
        Assert.Equal(TimeSpan.FromHours(1), options.Identity.TokenExpiration);
    }

    [Fact]
    public void Environment_variables_move_the_ports_and_switch_the_api_off()
    {
        var options = Load(new()
        {
            ["CLOUD_ACTORS_API_ENABLED"] = "off", ["CLOUD_ACTORS_API_HOST"] = "0.0.0.0", ["CLOUD_ACTORS_IDENTITY_PORT"] = "0",
            ["CLOUD_ACTORS_COMPUTE_PORT"] = "18774", ["CLOUD_ACTORS_IMAGE_PORT"] = "19292", ["CLOUD_ACTORS_NETWORK_PORT"] = "19696",
            ["CLOUD_ACTORS_API_MAX_BODY_BYTES"] = "4096", ["CLOUD_ACTORS_API_MAX_IMAGE_BYTES"] = "1048576",
        });
        Assert.False(options.Enabled);
        Assert.Equal(1048576L, options.MaxImageBytes);
        Assert.Equal(("0.0.0.0", 0, 18774, 19292, 19696, 4096L),
            (options.Host, options.IdentityPort, options.ComputePort, options.ImagePort, options.NetworkPort, options.MaxBodyBytes));
    }

    [Fact]
    public void The_shipped_users_are_devstacks_admin_and_demo_with_password_secret()
    {
        var identity = Load().Identity;
        var store = new TokenStore(identity);
        var admin = store.CheckPassword(null, "admin", "secret")!;
        var demo = store.CheckPassword(null, "demo", "secret")!;
        Assert.True(store.Issue(admin, store.FindProject(null, "admin")!, ["password"])!.IsAdmin);
        var demoToken = store.Issue(demo, store.FindProject(null, "demo")!, ["password"])!;
        Assert.False(demoToken.IsAdmin);
        Assert.Null(store.Issue(demo, store.FindProject(null, "admin")!, ["password"]));
        Assert.Null(store.CheckPassword(null, "demo", "wrong"));
    }

    [Fact]
    public void The_admin_project_and_user_are_the_ones_the_shell_acts_as()
    {
        var identity = Load().Identity;
        var shell = Cloud.Actors.Api.Application.RequestContext.ShellAdmin;
        Assert.Equal(shell.ProjectId, identity.Projects.Single(p => p.Name == "admin").Id);
        Assert.Equal(shell.UserId, identity.Users.Single(u => u.Name == "admin").Id);
    }
}
