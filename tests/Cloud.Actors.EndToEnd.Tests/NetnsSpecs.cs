using System.Diagnostics;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// cluster.sh up --netns: each node in a network namespace of its own, on its own address of a bridge the script makes;
/// the shell client and the stock OpenStack client reach the controller there, and down removes namespaces and bridge.
/// </summary>
public sealed class NetnsSpecs(TestCluster cluster, ITestOutputHelper output)
    : FreshClusterScenario(cluster, output)
{
    [Fact]
    public Task Every_node_has_an_address_of_its_own_and_the_stock_client_works_through_openrc() => Scenario(async () =>
    {
        await Cluster.UpAsync(computes: 1, "--netns");

        // cluster.sh cmd without an endpoint asks the controller on its namespace's address.
        var members = NovaTables.Rows(await Cluster.RunOkAsync(TestCluster.CommandTimeout, "cmd", "cluster", "show"));
        var addresses = members.Select(m => new Uri(m["Address"]).Host).ToList();
        Assert.Equal(2, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.StartsWith("10.250.", a));
        Assert.All(members, m => Assert.Equal("Up", m["Status"]));
        var namespaces = await ShAsync("ip netns list");
        Assert.Equal(2, namespaces.Split('\n').Count(line => line.Contains("-controller") || line.Contains("-compute1")));

        var openrc = Path.Combine(Cluster.StateDirectory, "openrc");
        Assert.Contains($"OS_AUTH_URL=http://{addresses.First()}:", await File.ReadAllTextAsync(openrc));
        var status = await ShAsync($"source {openrc} && openstack server create --image cirros --flavor 1 --network privada --wait aislado -f value -c status");
        Assert.Equal("ACTIVE", status.Trim());

        await Cluster.DownAsync();
        var left = await ShAsync("ip netns list");
        Assert.DoesNotContain("-compute1", left);
        Assert.DoesNotContain("-controller", left);
    });

    private async Task<string> ShAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        Output.WriteLine($"$ {script}\n{await stdout}{await stderr}");
        Assert.True(process.ExitCode == 0, $"{script} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
