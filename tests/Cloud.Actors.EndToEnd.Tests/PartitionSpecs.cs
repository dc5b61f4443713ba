using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// Actions accepted while an instance's host is unreachable are carried out when it is back: a stop waits for the
/// host, a delete is Nova's local delete and the host that comes back with the guest removes it. Resources are
/// released once: afterwards each host's usage in os-hypervisors is the sum over the servers it holds.
/// </summary>
public sealed class PartitionSpecs(TestCluster cluster, ITestOutputHelper output)
    : FreshClusterScenario(cluster, output)
{
    [Fact]
    public Task A_stop_and_a_delete_accepted_while_the_host_is_down_are_carried_out_when_it_is_back() => Scenario(async () =>
    {
        await Cluster.UpAsync(computes: 1);
        await Cluster.NovaOkAsync("keypair-add", "miclave");
        var network = await Cluster.PrivadaNetworkIdAsync();
        foreach (var name in new[] { "sigue", "parar", "borrar" })
            await Cluster.NovaOkAsync(TestCluster.BootArguments(name, network, poll: true));
        var doomed = (await Cluster.ShowAsync("borrar"))["id"];

        await Cluster.KillNodeAsync("compute1");
        await WaitForHostAsync("down");

        // Both accepted while compute1 is away: the stop waits (task powering-off), the delete is local.
        await Cluster.NovaOkAsync("stop", "parar");
        Assert.Equal("powering-off", (await Cluster.ShowAsync("parar"))["OS-EXT-STS:task_state"]);
        await Cluster.NovaOkAsync("delete", "borrar");
        Assert.DoesNotContain(await Cluster.ListAsync(), row => row["Name"] == "borrar");

        await Cluster.UpAsync(computes: 1);

        await Cluster.WaitForServerAsync("parar", s => s["status"] == "SHUTOFF" && s["OS-EXT-STS:task_state"] == "-",
            TimeSpan.FromSeconds(60), "SHUTOFF");
        Assert.Equal("ACTIVE", (await Cluster.ShowAsync("sigue"))["status"]);
        // The host that came back with the deleted server's guest removed it.
        await Until(async () => !(await Cluster.RunOkAsync(TestCluster.CommandTimeout, "cmd", Cluster.ShellOf("compute1"), "host", "guests", "--all"))
            .Contains(doomed), "compute1 no longer runs the deleted server's guest");
        // Released once: two m1.tiny servers are all compute1 holds (os-hypervisors through the REST API).
        await Until(async () => await UsageAsync() is (2, 2, 1024), "compute1's usage is its two servers'");
    });

    private async Task WaitForHostAsync(string state) =>
        await Until(async () => NovaTables.Rows(await Cluster.NovaOkAsync("hypervisor-list"))
            .Any(h => h["Hypervisor hostname"] == "compute1" && h["State"] == state), $"compute1 {state}");

    /// <summary>compute1's running_vms, vcpus_used and memory_mb_used from GET /os-hypervisors/detail.</summary>
    private async Task<(int Vms, int Vcpus, long MemoryMb)> UsageAsync()
    {
        using var http = new HttpClient();
        var token = await TokenAsync(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{TestCluster.Host}:{Cluster.IdentityPort + 1}/v2.1/os-hypervisors/detail");
        request.Headers.Add("X-Auth-Token", token);
        using var response = await http.SendAsync(request);
        var host = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["hypervisors"]!.AsArray()
            .Single(h => h!["hypervisor_hostname"]!.GetValue<string>() == "compute1")!;
        var usage = (host["running_vms"]!.GetValue<int>(), host["vcpus_used"]!.GetValue<int>(), host["memory_mb_used"]!.GetValue<long>());
        Output.WriteLine($"compute1: {usage}");
        return usage;
    }

    private async Task<string> TokenAsync(HttpClient http)
    {
        const string body = """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": "secret"}}},
                      "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
            """;
        using var response = await http.PostAsync($"http://{TestCluster.Host}:{Cluster.IdentityPort}/v3/auth/tokens",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) Assert.Fail($"never: {what}");
            await Task.Delay(500);
        }
    }
}
