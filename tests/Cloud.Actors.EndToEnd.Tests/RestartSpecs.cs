namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>Instances outlive a restart of the whole cluster (cluster.sh down, then up).</summary>
public sealed class RestartSpecs(TestCluster cluster, ITestOutputHelper output)
    : FreshClusterScenario(cluster, output)
{
    private static readonly string[] Names = ["vm-1", "vm-2", "vm-3", "vm-4", "vm-5"];
    private const string Stopped = "vm-3";

    [Fact]
    public Task Boot_five_restart_the_cluster_all_five_come_back() => Scenario(async () =>
    {
        await Cluster.UpAsync(computes: 2);
        await Cluster.NovaOkAsync("keypair-add", "miclave");
        var network = await Cluster.PrivadaNetworkIdAsync();
        foreach (var name in Names)
        {
            await Cluster.NovaOkAsync(TestCluster.BootArguments(name, network, poll: true));
            await Cluster.WaitForServerAsync(name, s => s["status"] == "ACTIVE" && s["OS-EXT-STS:task_state"] == "-",
                TimeSpan.FromSeconds(60), "ACTIVE");
        }
        await Cluster.NovaOkAsync("stop", Stopped);
        await Cluster.WaitForServerAsync(Stopped, s => s["status"] == "SHUTOFF" && s["OS-EXT-STS:task_state"] == "-",
            TimeSpan.FromSeconds(30), "SHUTOFF");

        var before = new Dictionary<string, Recorded>();
        foreach (var name in Names)
            before[name] = Recorded.From(await Cluster.ShowAsync(name));
        foreach (var (name, vm) in before)
            Output.WriteLine($"before the restart: {name} {vm}");

        Assert.All(before, pair =>
        {
            var (name, vm) = pair;
            Assert.Contains(vm.Host, new[] { "compute1", "compute2" });
            Assert.Equal(name == Stopped ? ("stopped", "4", "SHUTOFF") : ("active", "1", "ACTIVE"),
                (vm.VmState, vm.PowerState, vm.Status));
        });
        // Equal hosts, weighed by free RAM: both get instances.
        Assert.Equal(new[] { "compute1", "compute2" }, before.Values.Select(vm => vm.Host).Distinct().Order());

        // A token issued before the restart still works after it: it is sealed with the controller's key, not kept in memory.
        using var http = new HttpClient();
        var token = await IssueTokenAsync(http);

        await Cluster.DownAsync();
        await Cluster.UpAsync(computes: 2);

        using (var servers = new HttpRequestMessage(HttpMethod.Get, $"http://{TestCluster.Host}:{Cluster.IdentityPort + 1}/v2.1/servers"))
        {
            servers.Headers.Add("X-Auth-Token", token);
            using var response = await http.SendAsync(servers);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"the token from before the restart was refused: {(int)response.StatusCode} {body}");
            Assert.All(Names, name => Assert.Contains($"\"{name}\"", body));
        }

        var list = await Cluster.ListAsync();
        Assert.Equal(Names.Order(), list.Select(row => row["Name"]).Order());
        Assert.All(list, row =>
        {
            var vm = before[row["Name"]];
            Assert.Equal((vm.Id, vm.Status, "-"), (row["ID"], row["Status"], row["Task State"]));
        });
        foreach (var name in Names)
        {
            var after = await Cluster.ShowAsync(name);
            Output.WriteLine($"after the restart: {name} {Recorded.From(after)}");
            Assert.Equal(before[name], Recorded.From(after));
            Assert.Equal("-", after["OS-EXT-STS:task_state"]);
        }
    });

    /// <summary>POST /v3/auth/tokens as the admin of the admin project (the password hocon/controller.conf ships).</summary>
    private async Task<string> IssueTokenAsync(HttpClient http)
    {
        const string body = """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": "secret"}}},
                      "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
            """;
        using var response = await http.PostAsync($"http://{TestCluster.Host}:{Cluster.IdentityPort}/v3/auth/tokens",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    private sealed record Recorded(string Id, string Host, string VmState, string PowerState, string Status)
    {
        public static Recorded From(IReadOnlyDictionary<string, string> show) => new(
            show["id"], show["OS-EXT-SRV-ATTR:host"], show["OS-EXT-STS:vm_state"],
            show["OS-EXT-STS:power_state"], show["status"]);
    }
}
