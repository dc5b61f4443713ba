using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// The stock Debian clients (python3-openstackclient, python3-novaclient; `cluster.sh setup` installs them) drive
/// a controller and two fake compute hosts through the REST API, with the credentials of <c>source openrc</c>.
/// </summary>
public sealed class OpenStackClientSpecs(TestCluster cluster, ITestOutputHelper output) : ClusterScenario(cluster, output)
{
    private const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";

    // The rows of the seed's `nova show`, as `openstack server show -f json` names them at 2.1.
    private static readonly string[] SeedFields =
    [
        "OS-DCF:diskConfig", "OS-EXT-AZ:availability_zone", "OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:hypervisor_hostname",
        "OS-EXT-SRV-ATTR:instance_name", "OS-EXT-STS:power_state", "OS-EXT-STS:task_state", "OS-EXT-STS:vm_state",
        "OS-SRV-USG:launched_at", "OS-SRV-USG:terminated_at", "accessIPv4", "accessIPv6", "addresses", "config_drive",
        "created", "flavor", "hostId", "id", "image", "key_name", "name", "progress", "project_id", "properties",
        "security_groups", "status", "updated", "user_id", "volumes_attached",
    ];

    private Task StartedAsync() => Cluster.ShareAsync(nameof(OpenStackClientSpecs), computes: 2, () => Task.CompletedTask);

    private Task<string> Client(string user, string commandLine, int timeoutSeconds = 120) =>
        Cluster.ClientAsync(user, commandLine, Output.WriteLine, timeoutSeconds);

    [Fact]
    public Task The_openstack_cli_boots_shows_acts_on_and_deletes_a_server() => Scenario(async () =>
    {
        await StartedAsync();
        Assert.Contains("project_id", await Client("admin", "openstack token issue -f json"));
        Assert.Contains("m1.tiny", await Client("admin", "openstack flavor list -f value -c Name"));
        Assert.Contains("cirros", await Client("admin", "openstack image list -f value -c Name"));
        Assert.Contains(Privada, await Client("admin", "openstack network list -f value -c ID"));
        await Client("admin", "openstack keypair create miclave > miclave-osc.pem");

        await Client("admin", $"openstack server create --image cirros --flavor m1.tiny --key-name miclave --nic net-id={Privada} --wait test2");
        var shown = JsonNode.Parse(await Client("admin", "openstack server show test2 -f json"))!.AsObject();
        Assert.All(SeedFields, f => Assert.True(shown.ContainsKey(f), $"openstack server show lacks {f}"));
        Assert.Equal("ACTIVE", shown["status"]!.GetValue<string>());
        Assert.Equal("miclave", shown["key_name"]!.GetValue<string>());
        Assert.Contains("test2", await Client("admin", "openstack server list -f value -c Name"));

        await Client("admin", "openstack server stop test2");
        await WaitForStatus("admin", "test2", "SHUTOFF");
        await Client("admin", "openstack server start test2");
        await WaitForStatus("admin", "test2", "ACTIVE");
        await Client("admin", "openstack server reboot --hard test2");
        await WaitForStatus("admin", "test2", "ACTIVE");
        await Client("admin", "openstack server pause test2");
        await WaitForStatus("admin", "test2", "PAUSED");
        await Client("admin", "openstack server unpause test2");
        await WaitForStatus("admin", "test2", "ACTIVE");
        await Client("admin", "openstack server suspend test2");
        await WaitForStatus("admin", "test2", "SUSPENDED");
        await Client("admin", "openstack server resume test2");
        await WaitForStatus("admin", "test2", "ACTIVE");
        await Client("admin", "openstack server rebuild --image cirros --wait test2");
        await WaitForStatus("admin", "test2", "ACTIVE");
        await Client("admin", "openstack console log show test2");
        var actions = await Client("admin", "openstack server event list test2 -f value -c Action");
        Assert.All(new[] { "stop", "pause", "unpause", "suspend", "resume", "rebuild" }, a => Assert.Contains(a, actions));

        // A member of another project does not see it.
        Assert.DoesNotContain("test2", await Client("demo", "openstack server list -f value -c Name"));

        await Client("admin", "openstack server delete --wait test2");
        Assert.DoesNotContain("test2", await Client("admin", "openstack server list -f value -c Name"));
    });

    [Fact]
    public Task Novaclient_boots_and_shows_as_in_the_seed() => Scenario(async () =>
    {
        await StartedAsync();
        // At 2.92, which the nova CLI negotiates, Nova no longer generates key pairs: import one, as there.
        await Client("demo", "rm -f novaclave novaclave.pub && ssh-keygen -q -t ed25519 -N '' -f novaclave && nova keypair-add --pub-key novaclave.pub novaclave");
        // novaclient 18 spells the seed's --key_name as --key-name.
        await Client("demo", $"nova boot --image cirros --flavor 1 --key-name novaclave --nic net-id={Privada} test3");
        await WaitForStatus("demo", "test3", "ACTIVE");
        var show = await Client("demo", "nova show test3");
        Assert.Contains("| status ", show);
        Assert.Contains("ACTIVE", show);
        Assert.Contains("privada network", show);
        await Client("demo", "nova delete test3");
    });

    [Fact]
    public Task The_openstack_cli_creates_shows_saves_sets_and_deletes_an_image() => Scenario(async () =>
    {
        await StartedAsync();
        // A real qcow2 header and tables (~200 KiB): above max-body-bytes, so only the upload's own limit applies.
        await Client("admin", "rm -f mi-imagen.qcow2 mi-imagen.out && qemu-img create -q -f qcow2 mi-imagen.qcow2 64M");
        var file = Path.Combine(Cluster.StateDirectory, "mi-imagen.qcow2");
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(await File.ReadAllBytesAsync(file)));

        await Client("admin", "openstack image create --disk-format qcow2 --container-format bare --file mi-imagen.qcow2 mi-imagen -f json");
        var shown = JsonNode.Parse(await Client("admin", "openstack image show mi-imagen -f json"))!;
        Assert.Equal("active", shown["status"]!.GetValue<string>());
        Assert.Equal(md5, shown["checksum"]!.GetValue<string>());
        Assert.Equal(new FileInfo(file).Length, shown["size"]!.GetValue<long>());

        // openstacksdk checks the download against Content-MD5 itself; the bytes are compared here too.
        await Client("admin", "openstack image save --file mi-imagen.out mi-imagen");
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(Path.Combine(Cluster.StateDirectory, "mi-imagen.out")));

        // openstack image set / unset: Glance's JSON patch.
        await Client("admin", "openstack image set --name mi-imagen-2 --min-disk 1 --property os_distro=debian --tag prueba mi-imagen");
        await Client("admin", "openstack image unset --property os_distro mi-imagen-2");
        var patched = JsonNode.Parse(await Client("admin", "openstack image show mi-imagen-2 -f json"))!;
        Assert.Equal((1, "prueba"), (patched["min_disk"]!.GetValue<int>(), patched["tags"]![0]!.GetValue<string>()));
        Assert.Null(patched["properties"]?["os_distro"]);

        // Shared by default and the admin project's: another project does not see it.
        Assert.DoesNotContain("mi-imagen", await Client("demo", "openstack image list -f value -c Name"));
        await Client("admin", "openstack image delete mi-imagen-2");
        Assert.DoesNotContain("mi-imagen", await Client("admin", "openstack image list -f value -c Name"));
    });

    [Fact]
    public Task An_operator_disables_a_compute_service_and_new_servers_go_to_the_other_host() => Scenario(async () =>
    {
        await StartedAsync();
        var services = JsonNode.Parse(await Client("admin", "openstack compute service list -f json"))!.AsArray();
        Assert.Equal(["nova-scheduler", "nova-compute", "nova-compute"], services.Select(s => s!["Binary"]!.GetValue<string>()));
        Assert.All(services, s => Assert.Equal(("enabled", "up"), (s!["Status"]!.GetValue<string>(), s["State"]!.GetValue<string>())));

        // hypervisor show reads the aggregates (none: both hosts are in the default zone) and skips the uptime.
        var hypervisor = JsonNode.Parse(await Client("admin", "openstack hypervisor show compute1 -f json"))!;
        Assert.Equal(("compute1", "up", 0), (hypervisor["service_host"]!.GetValue<string>(), hypervisor["state"]!.GetValue<string>(),
            hypervisor["aggregates"]!.AsArray().Count));

        await Client("admin", "openstack compute service set --disable --disable-reason 'new disks' compute1 nova-compute");
        try
        {
            var compute1 = JsonNode.Parse(await Client("admin", "openstack compute service list --long --host compute1 -f json"))!.AsArray().Single()!;
            Assert.Equal(("disabled", "new disks"), (compute1["Status"]!.GetValue<string>(), compute1["Disabled Reason"]!.GetValue<string>()));
            var novaList = await Client("admin", "nova service-list --host compute1");
            Assert.Contains("disabled", novaList);
            Assert.Contains("new disks", novaList);

            await Client("admin", $"openstack server create --image cirros --flavor m1.tiny --nic net-id={Privada} --min 2 --max 2 --wait spread");
            foreach (var name in new[] { "spread-1", "spread-2" })
                Assert.Equal("compute2", JsonNode.Parse(await Client("admin", $"openstack server show {name} -f json"))!["OS-EXT-SRV-ATTR:host"]!.GetValue<string>());
            await Client("admin", "openstack server delete --wait spread-1 spread-2");
        }
        finally
        {
            await Client("admin", "openstack compute service set --enable compute1 nova-compute");
        }
        Assert.Equal("enabled", JsonNode.Parse(await Client("admin", "openstack compute service list --host compute1 -f json"))![0]!["Status"]!.GetValue<string>());
    });

    private async Task WaitForStatus(string user, string server, string status)
    {
        var deadline = DateTime.UtcNow + TestCluster.BootPollTimeout;
        while (true)
        {
            var now = JsonNode.Parse(await Client(user, $"openstack server show {server} -f json"))!;
            if (now["status"]?.GetValue<string>() == status && now["OS-EXT-STS:task_state"] is null)
                return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{server} never became {status}");
            await Task.Delay(500);
        }
    }
}
