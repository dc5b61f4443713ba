namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// Bad input through the shell client is refused with a non-zero exit and a message that names
/// the problem, and creates nothing; odd but valid names go through untouched. The tests of
/// this class share one running cluster (controller + 1 compute, key pair miclave).
/// </summary>
public sealed class ShellInputSpecs : ClusterScenario
{
    private const string Network = "0d43e5fe-99b9-46a8-b118-58136aa805b4"; // privada, from the catalog
    private const string UnknownNetwork = "11111111-2222-3333-4444-555555555555";

    public ShellInputSpecs(TestCluster cluster, ITestOutputHelper output) : base(cluster, output)
    {
    }

    private Task StartedAsync() => Cluster.ShareAsync(nameof(ShellInputSpecs), computes: 1, async () =>
    {
        await Cluster.NovaOkAsync("keypair-add", "miclave");
        Assert.Equal(Network, await Cluster.PrivadaNetworkIdAsync());
    });

    public static TheoryData<string, string[], string[]> BadBoots => new()
    {
        { "unknown image", TestCluster.BootArguments("bad", Network, image: "no-such-image"), ["no-such-image"] },
        { "unknown flavor", TestCluster.BootArguments("bad", Network, flavor: "99"), ["Flavor", "99"] },
        { "unknown key pair", TestCluster.BootArguments("bad", Network, key: "no-such-key"), ["no-such-key"] },
        { "unknown network", TestCluster.BootArguments("bad", UnknownNetwork), ["Network", UnknownNetwork] },
        { "malformed net-id", TestCluster.BootArguments("bad", "not-a-uuid"), ["not-a-uuid"] },
        { "empty name", TestCluster.BootArguments("", Network), ["name", "too short"] },
        { "256-character name", TestCluster.BootArguments(new string('n', 256), Network), ["name", "too long"] },
    };

    [Theory]
    [MemberData(nameof(BadBoots))]
    public Task A_bad_boot_fails_naming_the_problem_and_creates_nothing(string problem, string[] boot, string[] named) =>
        Scenario(async () =>
        {
            await StartedAsync();
            var before = await ListTextAsync();

            var result = await Cluster.NovaAsync(boot);

            Assert.True(result.ExitCode != 0, $"{problem}: expected a non-zero exit\n{result}");
            Assert.All(named, word => Assert.Contains(word, result.Error, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(before, await ListTextAsync());
        });

    [Fact]
    public Task A_duplicate_key_pair_fails_and_keeps_the_first() => Scenario(async () =>
    {
        await StartedAsync();
        var keys = await Cluster.NovaOkAsync("keypair-list");
        var before = await ListTextAsync();

        var result = await Cluster.NovaAsync("keypair-add", "miclave");

        Assert.True(result.ExitCode != 0, $"expected a non-zero exit\n{result}");
        Assert.Contains("miclave", result.Error);
        Assert.Contains("already exists", result.Error);
        Assert.Equal(keys, await Cluster.NovaOkAsync("keypair-list"));
        Assert.Equal(before, await ListTextAsync());
    });

    [Theory]
    [InlineData("show")]
    [InlineData("stop")]
    [InlineData("delete")]
    public Task A_command_on_an_unknown_server_fails_naming_it(string command) => Scenario(async () =>
    {
        await StartedAsync();
        var before = await ListTextAsync();

        var result = await Cluster.NovaAsync(command, "no-such-server");

        Assert.True(result.ExitCode != 0, $"expected a non-zero exit\n{result}");
        Assert.Contains("no-such-server", result.Error);
        Assert.Equal("", result.Output);
        Assert.Equal(before, await ListTextAsync());
    });

    [Fact]
    public Task A_name_with_markup_quotes_and_unicode_is_shown_exactly() => Scenario(async () =>
    {
        await StartedAsync();
        const string name = "prueba-ñ-<b>&\"'";

        await Cluster.NovaOkAsync(TestCluster.BootArguments(name, Network, poll: true));

        var byName = await Cluster.ShowAsync(name);
        Assert.Equal(name, byName["name"]);
        Assert.Equal("ACTIVE", byName["status"]);
        var byId = await Cluster.ShowAsync(byName["id"]);
        Assert.Equal(name, byId["name"]);
        var row = Assert.Single(await Cluster.ListAsync(), r => r["ID"] == byName["id"]);
        Assert.Equal(name, row["Name"]);
    });

    // nova list as one string per row: what must not change when a command fails.
    private async Task<IReadOnlyList<string>> ListTextAsync() =>
        (await Cluster.ListAsync()).Select(row => string.Join(" | ", row.Values)).ToList();
}
