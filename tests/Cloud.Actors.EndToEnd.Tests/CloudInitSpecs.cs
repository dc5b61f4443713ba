namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// The image people really boot: Debian 12 with cloud-init (guest/build.sh --cloud-init, registered by cluster.sh as
/// debian-12-cloud). cloud-init's own OpenStack datasource, code nobody here wrote, must find everything in our
/// metadata service: the host name, the key pair's key (the SSH login proves it), user_data (a #cloud-config that writes
/// a file) and network_data (eth0 by DHCP). One guest: under TCG it takes about two minutes to reach "done".
/// </summary>
[Collection(GuestCollection.Name)]
public sealed class CloudInitSpecs : IAsyncLifetime
{
    private static readonly TimeSpan CloudInitTimeout = TimeSpan.FromMinutes(6);
    private readonly GuestCluster _cluster;
    private readonly ITestOutputHelper _output;

    public CloudInitSpecs(GuestCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
        cluster.Output = output;
    }

    public Task InitializeAsync() => _cluster.ResetAsync();

    public Task DisposeAsync() => _cluster.ResetAsync();

    [Fact]
    public async Task Cloud_init_finds_host_name_key_user_data_and_network_data_in_our_metadata_service()
    {
        try
        {
            await _cluster.UpAsync(computes: 1);
            var key = await _cluster.NovaOkAsync("keypair-add", "miclave");
            var pem = Path.Combine(_cluster.StateDirectory, "miclave.pem");
            await File.WriteAllTextAsync(pem, key);
            File.SetUnixFileMode(pem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var userData = Path.Combine(_cluster.StateDirectory, "user-data.yaml");
            await File.WriteAllTextAsync(userData, "#cloud-config\nwrite_files:\n- path: /etc/cloud-actors-was-here\n  content: hola desde user_data\n");

            await _cluster.ClientAsync("admin",
                $"openstack server create --image debian-12-cloud --flavor m1.tiny --key-name miclave --nic net-id={await _cluster.PrivadaNetworkIdAsync()} --user-data '{userData}' nube",
                _output.WriteLine);
            var show = await _cluster.WaitForServerAsync("nube", s => s["status"] is "ACTIVE" or "ERROR", TimeSpan.FromMinutes(3), "ACTIVE");
            Assert.Equal("ACTIVE", show["status"]);

            // sshd comes up once cloud-init has put the key in place; then cloud-init's own verdict.
            var status = await SshWhenUpAsync("nube", "cloud-init", "status", "--wait");
            Assert.Contains("status: done", status);
            Assert.Equal("nube", (await _cluster.RunOkAsync(TimeSpan.FromMinutes(1), "ssh", "nube", "hostname")).Trim());
            Assert.Equal("hola desde user_data", (await _cluster.RunOkAsync(TimeSpan.FromMinutes(1), "ssh", "nube", "cat", "/etc/cloud-actors-was-here")).Trim());
            Assert.Equal("openstack", (await _cluster.RunOkAsync(TimeSpan.FromMinutes(1), "ssh", "nube", "cloud-init", "query", "v1.platform")).Trim());
            // network_data.json became eth0 by DHCP (cloud-init's ifupdown renderer).
            Assert.Contains("iface eth0 inet dhcp", await _cluster.RunOkAsync(TimeSpan.FromMinutes(1), "ssh", "nube", "cat", "/etc/network/interfaces.d/50-cloud-init"));
        }
        catch
        {
            _output.WriteLine(_cluster.LogTails());
            throw;
        }
    }

    private async Task<string> SshWhenUpAsync(string server, params string[] command)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var result = await _cluster.RunAsync(CloudInitTimeout, ["ssh", server, .. command]);
            if (result.ExitCode == 0) return result.Output;
            if (clock.Elapsed > CloudInitTimeout) throw new TimeoutException($"no SSH to {server} after {CloudInitTimeout}: {result}");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
    }
}
