using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Npgsql;

namespace Cloud.Actors.Node;

/// <summary>
/// With persistence "postgres" every node shares one database and auto-initializes the same journal and snapshot
/// tables in it. PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent create of the same table
/// (23505 on pg_type_typname_nsp_index), so nodes starting together on a fresh database would fail their plugin
/// initialization and retry. Instead each node starts its journal and snapshot store while it holds an advisory
/// lock on the database: the first creates the tables, the others find them.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The advisory lock's key: "CloudAct" in ASCII.</summary>
    private const long LockKey = 0x436C6F7564416374;

    private const string ProbeId = "cloud-actors-schema-probe";

    /// <summary>
    /// Waits until this node's journal and snapshot store are initialized; nothing unless persistence is postgres. A
    /// database that cannot be reached yet (still starting, a slow machine) is logged and tried again with back-off,
    /// never given up on: the node is simply not ready meanwhile.
    /// </summary>
    public static async Task InitializeAsync(ActorSystem system, NodeSettings settings, CancellationToken ct = default)
    {
        if (settings.Persistence != "postgres") return;
        var log = Logging.GetLogger(system, typeof(PostgresSchema));
        var connectionString = settings.Config.GetString("akka.persistence.journal.sql.connection-string");
        await StartupBackoff.Of(settings).RetryAsync(async attempt =>
            {
                await InitializeOnceAsync(system, connectionString, AttemptTimeout, ct);
                if (attempt > 1) log.Info("persistence postgres: the database at {0} answers; journal ready", Describe(connectionString));
            },
            transient: e => e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException,
            retrying: (e, attempt, delay) => log.Warning(
                "persistence postgres: cannot use the database at {0} yet ({1}); trying again in {2:0.#} s (attempt {3}). " +
                "CLOUD_ACTORS_POSTGRES sets its connection string; on this machine ./cluster.sh setup starts PostgreSQL.",
                Describe(connectionString), e.GetBaseException().Message, delay.TotalSeconds, attempt), ct);
    }

    /// <summary>How long one attempt (connect, lock, start both plugins) may take before it is tried again.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private static async Task InitializeOnceAsync(ActorSystem system, string connectionString, TimeSpan limit, CancellationToken ct)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cancel.CancelAfter(limit);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancel.Token);
        await Lock(connection, cancel.Token);
        try
        {
            var persistence = Persistence.Instance.Apply(system);
            var snapshot = await persistence.SnapshotStoreFor(null).Ask<object>(
                new LoadSnapshot(ProbeId, SnapshotSelectionCriteria.None, 0), limit, cancel.Token);
            if (snapshot is LoadSnapshotFailed failed)
                throw new InvalidOperationException("the snapshot store failed to start", failed.Cause);
            var journal = await persistence.JournalFor(null).Ask<object>(
                replyTo => new ReplayMessages(1, 0, 0, ProbeId, replyTo), limit, cancel.Token);
            if (journal is ReplayMessagesFailure replayFailed)
                throw new InvalidOperationException("the journal failed to start", replayFailed.Cause);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private static async Task Lock(NpgsqlConnection connection, CancellationToken cancel)
    {
        await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        tryLock.Parameters.AddWithValue("key", LockKey);
        while (!(bool)(await tryLock.ExecuteScalarAsync(cancel))!)
            await Task.Delay(100, cancel);
    }

    /// <summary>The connection string without its password.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"Host={b.Host};Port={b.Port};Database={b.Database};Username={b.Username}";
        }
        catch (ArgumentException)
        {
            return "(an invalid connection string)";
        }
    }
}
