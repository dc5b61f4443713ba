namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// The operator's palettes of each node through `cluster.sh cmd HOST:PORT`: `actor hierarchy` everywhere,
/// `image` on the controller, `host` on a compute host, and only there.
/// </summary>
public sealed class NodePaletteSpecs(TestCluster cluster, ITestOutputHelper output) : ClusterScenario(cluster, output)
{
    private string Compute1 => $"{TestCluster.Host}:{Cluster.ShellBasePort + 1}";

    private async Task<string> CmdOkAsync(string endpoint, params string[] args)
    {
        var result = await Cluster.RunAsync(TestCluster.CommandTimeout, ["cmd", endpoint, .. args]);
        Assert.True(result.ExitCode == 0, $"expected exit 0:\n{result}");
        return result.Output;
    }

    [Fact]
    public Task Each_node_shows_its_actors_the_controller_its_images_and_the_compute_host_itself() => Scenario(async () =>
    {
        await Cluster.ShareAsync(nameof(NodePaletteSpecs), computes: 1, () => Task.CompletedTask);
        await Cluster.NovaOkAsync("keypair-add", "miclave");
        await Cluster.NovaOkAsync(TestCluster.BootArguments("paleta", await Cluster.PrivadaNetworkIdAsync(), poll: true));
        var show = await Cluster.ShowAsync("paleta");

        var computeActors = await CmdOkAsync(Compute1, "actor", "hierarchy");
        // The compute actor runs under a back-off supervisor at /user/compute; each instance is its child.
        Assert.Contains($"      /user/compute/host/{show["id"]}\n", computeActors);
        var controllerActors = await CmdOkAsync(Cluster.ShellEndpoint, "actor", "hierarchy", "--depth", "1");
        Assert.Contains("  /user/directory\n", controllerActors);
        Assert.Contains("  /user/images\n", controllerActors);

        Assert.Contains("| cirros ", await CmdOkAsync(Cluster.ShellEndpoint, "image", "list"));

        var host = await CmdOkAsync(Compute1, "host", "show");
        Assert.Contains("| host ", host);
        Assert.Matches(@"\| instances +\| 1 +\|", host);
        Assert.Matches($@"\| {show["OS-EXT-SRV-ATTR:instance_name"]} +\| {show["id"]} +\| Running +\| instance +\|",
            await CmdOkAsync(Compute1, "host", "guests"));

        var noHostHere = await Cluster.RunAsync(TestCluster.CommandTimeout, "cmd", Cluster.ShellEndpoint, "host", "show");
        Assert.NotEqual(0, noHostHere.ExitCode);
        await Cluster.NovaOkAsync("delete", "paleta");
    });
}
