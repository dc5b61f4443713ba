using System.Data;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using SqlJournalOptions = Akka.Persistence.Sql.Hosting.SqlJournalOptions;
using SqlSnapshotOptions = Akka.Persistence.Sql.Hosting.SqlSnapshotOptions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cloud.Actors.Node;

/// <summary>
/// The journal and snapshot store of a node: Akka.Persistence.Sql on SQLite (a file per node) or on one shared
/// PostgreSQL database, as hocon/sqlite.conf or hocon/postgres.conf say, or Akka's in-memory plugins. Each gets the
/// persistence builder's health check, so /healthcheck is not ready while the journal does not answer.
/// </summary>
public static class PersistenceHosting
{
    public static readonly string[] ReadinessTags = [Cloud.Actors.Api.Rest.RestServer.ReadinessTag];

    public static AkkaConfigurationBuilder WithCloudPersistence(this AkkaConfigurationBuilder akka, NodeSettings settings, JournalChoice choice)
    {
        if (choice == JournalChoice.InMemory)
            return akka
                .WithInMemoryJournal(journal => journal.WithHealthCheck(HealthStatus.Unhealthy, tags: ReadinessTags), "inmem", isDefaultPlugin: true)
                .WithInMemorySnapshotStore("inmem", isDefaultPlugin: true);

        var journal = settings.Config.GetConfig("akka.persistence.journal.sql");
        var snapshots = settings.Config.GetConfig("akka.persistence.snapshot-store.sql");
        akka.WithSqlPersistence(
            new SqlJournalOptions(isDefaultPlugin: true)
            {
                ConnectionString = journal.GetString("connection-string"),
                ProviderName = journal.GetString("provider-name"),
                AutoInitialize = journal.GetBoolean("auto-initialize"),
                ReadIsolationLevel = IsolationLevelOf(journal, "read-isolation-level"),
            },
            new SqlSnapshotOptions(isDefaultPlugin: true)
            {
                ConnectionString = snapshots.GetString("connection-string"),
                ProviderName = snapshots.GetString("provider-name"),
                AutoInitialize = snapshots.GetBoolean("auto-initialize"),
                ReadIsolationLevel = IsolationLevelOf(snapshots, "read-isolation-level"),
            },
            journalBuilder => journalBuilder.WithHealthCheck(HealthStatus.Unhealthy, tags: ReadinessTags),
            snapshotBuilder => snapshotBuilder.WithHealthCheck(HealthStatus.Unhealthy, tags: ReadinessTags));

        // Before any actor touches the journal: nodes that share a PostgreSQL database create its tables one at a time.
        if (settings.Persistence == "postgres")
            akka.StartActors(async (system, _) => await PostgresSchema.InitializeAsync(system, settings));
        return akka;
    }

    /// <summary>hocon/sqlite.conf reads without taking SQLite's write lock (read-uncommitted); unset elsewhere.</summary>
    private static IsolationLevel? IsolationLevelOf(Config plugin, string key) =>
        plugin.HasPath(key) ? Enum.Parse<IsolationLevel>(plugin.GetString(key).Replace("-", ""), ignoreCase: true) : null;
}
