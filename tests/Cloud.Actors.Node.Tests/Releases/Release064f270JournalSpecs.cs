using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Microsoft.Data.Sqlite;
using static Cloud.Actors.Node.Tests.Releases.Release064f270;

namespace Cloud.Actors.Node.Tests.Releases;

/// <summary>
/// A cluster started on the journals release 064f270 wrote (serializer 7401 rows with CLR type names as manifests,
/// Newtonsoft rows for the catalog) shows a user what that release showed: its servers, their actions, key pairs,
/// images and service status. What it journals next carries the short manifests, and replays with the old rows.
/// </summary>
public sealed class Release064f270JournalSpecs : IAsyncLifetime
{
    private static readonly RequestContext Admin = RequestContext.ShellAdmin;
    private readonly InProcessCluster _cluster = new(InProcessCluster.NewStateRoot());

    public async Task InitializeAsync()
    {
        CopyCluster(_cluster.StateRoot);
        await _cluster.StartAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private NovaService Nova => _cluster.Nova;

    [Fact]
    public async Task Every_server_shows_as_it_was_left()
    {
        var servers = await Servers();

        Assert.Equal(new Dictionary<string, (string, string?)>
        {
            ["fx-renamed"] = ("ACTIVE", "compute1"),
            ["fx-stopped"] = ("SHUTOFF", "compute2"),
            ["fx-paused"] = ("PAUSED", "compute1"),
            ["fx-suspended"] = ("SUSPENDED", "compute2"),
            ["fx-rebuilt"] = ("ACTIVE", "compute1"),
            ["fx-rebooted"] = ("ACTIVE", "compute1"),
            ["fx-error"] = ("ERROR", null),
        }, servers.ToDictionary(s => s.Spec.Name, s => (s.Status, s.Host)));
        Assert.DoesNotContain(servers, s => s.Id == Deleted);
        Assert.Equal(Renamed, servers.Single(s => s.Spec.Name == "fx-renamed").Id);
        Assert.All(servers, s => Assert.Matches(@"^10\.0\.0\.\d+$", s.Spec.Addresses.Single().Address));
        Assert.All(servers, s => Assert.Equal("privada", s.Spec.Addresses.Single().NetworkName));
        Assert.Equal(servers.Count, servers.Select(s => s.Spec.Addresses.Single().Address).Distinct().Count());
        Assert.Equal("miclave", servers.Single(s => s.Id == Renamed).Spec.KeyName);
        Assert.Empty(_cluster.Errors);
    }

    [Fact]
    public async Task The_server_in_error_keeps_its_fault_and_zone()
    {
        var error = (await Nova.Show(Error.ToString(), Admin)).State;

        Assert.Equal("fx-error", error.Spec.Name);
        Assert.StartsWith("No valid host", error.Fault!.Message);
        Assert.Equal("nowhere", error.Spec.AvailabilityZone);
    }

    [Fact]
    public async Task Each_server_keeps_its_actions_from_its_hosts_journal()
    {
        async Task<string[]> ActionsOf(Guid id) => (await Nova.InstanceActions(id.ToString(), Admin)).Select(a => a.Action).ToArray();

        Assert.Equal(["create"], await ActionsOf(Renamed));
        Assert.Equal(["stop", "create"], await ActionsOf(Stopped));
        Assert.Equal(["pause", "create"], await ActionsOf(Paused));
        Assert.Equal(["suspend", "create"], await ActionsOf(Suspended));
        Assert.Equal(["rebuild", "create"], await ActionsOf(Rebuilt));
        Assert.Equal(["reboot", "create"], await ActionsOf(Rebooted));
    }

    [Fact]
    public async Task A_servers_console_is_read_from_its_host()
    {
        Assert.Contains("fx-rebooted login:", await Nova.ConsoleLog("fx-rebooted", null, Admin));
    }

    [Fact]
    public async Task The_catalog_keeps_its_key_pairs_and_images()
    {
        var keys = await Nova.KeyPairs(Admin);
        var images = (await Nova.Catalog()).Images;
        var image = images.Single(i => i.Name == "fx-image");

        Assert.Equal(["imported", "miclave"], keys.Select(k => k.Name).Order(StringComparer.Ordinal));
        Assert.Equal("77:8d:3f:de:55:39:29:c5:2b:82:3f:0b:12:c8:3d:c1", keys.Single(k => k.Name == "miclave").Fingerprint);
        Assert.Equal(["cirros", "fx-image"], images.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("active", "raw", 4096L, "6ef4ecc0cce2cb18c0a5663252f47ce2"), (image.Status, image.DiskFormat, image.SizeBytes, image.Checksum));
        Assert.Equal(["fixture-tag"], image.Tags);
        Assert.Equal("fixture", image.Properties["os_distro"]);
        Assert.Equal("shared", image.Visibility);
    }

    [Fact]
    public async Task The_disabled_host_stays_disabled_with_its_reason()
    {
        var services = await Nova.Services();

        Assert.Contains(services, s => s is { Host: "compute2", Binary: ComputeServiceView.ComputeBinary, Enabled: false, DisabledReason: "fixture maintenance" });
        Assert.Contains(services, s => s is { Host: "compute1", Binary: ComputeServiceView.ComputeBinary, Enabled: true });
    }

    [Fact]
    public async Task What_is_journaled_next_has_short_manifests_and_replays_with_the_old_rows()
    {
        await Nova.Act("fx-renamed", InstanceAction.Stop, Admin);
        await Until("fx-renamed", "SHUTOFF");
        await Nova.AddKeyPair("nueva", null, Admin);
        var booted = (await Nova.Boot(new BootArguments("fx-new", "cirros", "1", "miclave", [InProcessCluster.Privada]), Admin)).Single().State;
        await Until("fx-new", "ACTIVE");
        // The network service, new since that release, adopted the old servers' addresses: the new one has another,
        // and every server (not the deleted one) has its port.
        var old = (await Servers()).Where(s => s.Id != booted.Id).ToList();
        Assert.DoesNotContain(booted.Spec.Addresses.Single().Address, old.Select(s => s.Spec.Addresses.Single().Address));
        var ports = await Eventually.Satisfies(async () => await Nova.Neutron.Ports(new ListPorts(null)), p => p.Count == old.Count + 1);
        Assert.Equal(old.Select(s => (s.Id.ToString(), s.Spec.Addresses.Single().Address, s.Spec.Addresses.Single().Mac)).Order(),
            ports.Where(p => p.DeviceId != booted.Id.ToString()).Select(p => (p.DeviceId, p.FixedIps.Single().IpAddress, p.MacAddress)).Order());
        Assert.Empty(_cluster.Errors);
        await _cluster.StopAsync();

        var written = Nodes.SelectMany(node => RowsAfter(node, LastOrdering(node))).ToList();

        Assert.All(written, row => Assert.Equal(7_401, row.Serializer));
        Assert.All(written, row => Assert.Matches("^[a-z]+(-[a-z0-9]+)*$", row.Manifest));
        Assert.Superset(
            new HashSet<string>
            {
                "catalog-key-pair-added", "dir-requested", "dir-recorded", "compute-instance-assigned", "instance-accepted", "instance-stopped",
                "net-network-created", "net-subnet-created", "net-port-created",
            },
            written.Select(row => row.Manifest).ToHashSet());

        await _cluster.StartAsync();
        var servers = await Servers();
        Assert.Equal("SHUTOFF", servers.Single(s => s.Spec.Name == "fx-renamed").Status);
        Assert.Equal(("ACTIVE", "instance-00000009"), (servers.Single(s => s.Id == booted.Id).Status, booted.Spec.InstanceName));
        Assert.Equal(8, servers.Count);
        Assert.Equal(["stop", "create"], (await Nova.InstanceActions("fx-renamed", Admin)).Select(a => a.Action));
        Assert.Contains(await Nova.KeyPairs(Admin), k => k.Name == "nueva");
        // Stopping the nodes one by one logs their disassociation; nothing else may have gone wrong.
        Assert.All(_cluster.Errors, e => Assert.Contains("Disassociated", e));
    }

    /// <summary>The directory's view once the hosts have reported (a host's instances recover after the controller's).</summary>
    private async Task<IReadOnlyList<InstanceState>> Servers() => await Eventually.Satisfies(
        async () => (await Nova.List(Admin, allProjects: true)).Select(f => f.State).ToList(),
        list => list.All(s => s.IsIdle));

    private async Task Until(string name, string status) =>
        await Eventually.Satisfies(async () => (await Nova.Show(name, Admin)).State, s => s.Status == status);

    private IReadOnlyList<(string PersistenceId, string Manifest, long Serializer)> RowsAfter(string node, long ordering)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_cluster.StateRoot, node, "journal.db")};Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT persistence_id, manifest, identifier FROM journal WHERE ordering > $ordering";
        query.Parameters.AddWithValue("$ordering", ordering);
        using var reader = query.ExecuteReader();
        var rows = new List<(string, string, long)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return rows;
    }
}
