using Akka.Configuration;
using Cloud.Actors.Node;
using Npgsql;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// A database of its own for one test run, <c>cloud_actors_test_&lt;random&gt;</c>, created through the connection the
/// nodes would use (hocon/postgres.conf, or CLOUD_ACTORS_POSTGRES when set) by its role, which `./cluster.sh setup`
/// gives CREATEDB; dropped again on dispose. No PostgreSQL is a failure that says how to get one, never a skip.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string _maintenance;

    private PostgresTestDatabase(string maintenance, string name, string connectionString)
    {
        _maintenance = maintenance;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string for CLOUD_ACTORS_POSTGRES: the configured one with <see cref="Name"/> as its database.</summary>
    public string ConnectionString { get; }

    /// <summary>An in-process cluster whose every node journals to this database.</summary>
    public InProcessCluster Cluster() => new(InProcessCluster.NewStateRoot(), new Dictionary<string, string>
    {
        ["CLOUD_ACTORS_PERSISTENCE"] = "postgres",
        ["CLOUD_ACTORS_POSTGRES"] = ConnectionString,
    });

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var configured = ConfiguredConnectionString();
        var name = "cloud_actors_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(configured))
        {
            try
            {
                await connection.OpenAsync();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL is not reachable with {Describe(configured)}: {e.Message}. " +
                    "Run ./cluster.sh setup (as root it installs and starts PostgreSQL on 127.0.0.1:5432 and creates " +
                    "the role and database cloud_actors), or point CLOUD_ACTORS_POSTGRES at a server where that role may create databases.", e);
            }
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            try
            {
                await create.ExecuteNonQueryAsync();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL refused CREATE DATABASE to {Describe(configured)}: {e.MessageText}. " +
                    "Run ./cluster.sh setup as root: it gives the role CREATEDB.", e);
            }
        }
        var builder = new NpgsqlConnectionStringBuilder(configured) { Database = name };
        return new PostgresTestDatabase(configured, name, builder.ConnectionString);
    }

    /// <summary>Rows per persistence id in the journal: what the nodes have written to this database.</summary>
    public async Task<IReadOnlyDictionary<string, long>> JournalPersistenceIds()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT persistence_id, count(*) FROM journal GROUP BY persistence_id", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var ids = new Dictionary<string, long>();
        while (await reader.ReadAsync()) ids[reader.GetString(0)] = reader.GetInt64(1);
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        // The nodes' pooled connections would keep the database busy; FORCE ends any that are left.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_maintenance);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The journal's connection string of a postgres node: hocon/postgres.conf with CLOUD_ACTORS_POSTGRES applied.</summary>
    private static string ConfiguredConnectionString()
    {
        var file = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(InProcessCluster.HoconDir, "postgres.conf")));
        var config = EnvironmentOverrides.From(Environment.GetEnvironmentVariable).WithFallback(file);
        return config.GetString("akka.persistence.journal.sql.connection-string");
    }

    private static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"Host={b.Host};Port={b.Port};Database={b.Database};Username={b.Username}";
    }
}
