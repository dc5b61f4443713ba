using Microsoft.Data.Sqlite;

namespace Cloud.Actors.Node.Tests.Releases;

/// <summary>
/// What release 064f270 left on disk (Fixtures/release-064f270/, described in Fixtures/README.md): a controller's and
/// two compute hosts' journals and fake hypervisors, and a database with one snapshot of each snapshot type.
/// </summary>
public static class Release064f270
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "release-064f270");

    public static readonly string[] Nodes = ["controller", "compute1", "compute2"];

    public static readonly Guid Renamed = Guid.Parse("0a6a5e73-d963-4c5f-b1a2-d365a6903829");
    public static readonly Guid Stopped = Guid.Parse("5bc7a073-1add-403a-830b-e64606e69226");
    public static readonly Guid Paused = Guid.Parse("8b04f204-b15d-46b6-8f3e-f8e0a8aec912");
    public static readonly Guid Suspended = Guid.Parse("f4303472-f0ad-46ab-b0d6-dd6badd467e1");
    public static readonly Guid Rebuilt = Guid.Parse("b816d9f5-3084-4b32-aeb4-495fb02d99b2");
    public static readonly Guid Rebooted = Guid.Parse("927e2de4-feae-4ff2-90fc-fb9df3353b3c");
    public static readonly Guid Error = Guid.Parse("72732297-1a1e-4047-a951-cc404d209665");
    public static readonly Guid Deleted = Guid.Parse("917d8f88-9c28-4d6b-b114-db8c6a5d73ab");

    /// <summary>
    /// Lays the three nodes' files out under <paramref name="stateRoot"/> as <see cref="InProcessCluster"/> keeps its
    /// state: &lt;node&gt;/journal.db, and &lt;host&gt;/fake-hypervisor.json for the compute hosts.
    /// </summary>
    public static void CopyCluster(string stateRoot)
    {
        foreach (var node in Nodes)
        {
            var dir = System.IO.Directory.CreateDirectory(Path.Combine(stateRoot, node)).FullName;
            File.Copy(Path.Combine(Directory, $"{node}.db"), Path.Combine(dir, "journal.db"));
            var hypervisor = Path.Combine(Directory, $"{node}.fake-hypervisor.json");
            if (File.Exists(hypervisor)) File.Copy(hypervisor, Path.Combine(dir, "fake-hypervisor.json"));
        }
    }

    /// <summary>Puts snapshots.db in <paramref name="stateDir"/> as the node's journal.db.</summary>
    public static void CopySnapshots(string stateDir)
    {
        System.IO.Directory.CreateDirectory(stateDir);
        File.Copy(Path.Combine(Directory, "snapshots.db"), Path.Combine(stateDir, "journal.db"));
    }

    /// <summary>The last journal row (its ordering) of <paramref name="node"/> as the release left it.</summary>
    public static long LastOrdering(string node)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Directory, $"{node}.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT max(ordering) FROM journal";
        return (long)query.ExecuteScalar()!;
    }
}
