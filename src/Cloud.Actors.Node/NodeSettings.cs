using Akka.Configuration;

namespace Cloud.Actors.Node;

/// <summary>
/// A node's configuration: hocon/base.conf, then the conf of each role and of the persistence choice; in front of
/// them the site files named by CLOUD_ACTORS_CONFIG (colon-separated HOCON files, e.g. the images cluster.sh
/// seeds), and in front of everything the CLOUD_ACTORS_* environment overrides of <see cref="EnvironmentOverrides"/>.
/// </summary>
public sealed class NodeSettings
{
    public NodeSettings(Config config)
    {
        Config = config;
        var node = config.GetConfig("cloud-actors");
        NodeName = node.GetString("node-name");
        Roles = node.GetString("roles").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        StateDir = Path.GetFullPath(node.GetString("state-dir"));
        Persistence = node.GetString("persistence");
        AskTimeout = node.GetTimeSpan("ask-timeout");
        ShellHost = node.GetString("shell.host");
        ShellPort = node.GetInt("shell.port");
    }

    public Config Config { get; }
    public string NodeName { get; }
    public IReadOnlyList<string> Roles { get; }
    public string StateDir { get; }
    public string Persistence { get; }
    public TimeSpan AskTimeout { get; }
    public string ShellHost { get; }
    public int ShellPort { get; }

    public bool IsController => Roles.Contains(NodeRoles.Controller);
    public bool IsCompute => Roles.Contains(NodeRoles.Compute);

    public static NodeSettings Load(string hoconDir, Func<string, string?>? environment = null)
    {
        Config Read(string file) => ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(hoconDir, file)));

        environment ??= Environment.GetEnvironmentVariable;
        var overrides = EnvironmentOverrides.From(environment).WithFallback(SiteConfig(environment(SiteConfigVariable)));
        var baseConfig = overrides.WithFallback(Read("base.conf"));
        var roles = baseConfig.GetString("cloud-actors.roles").Split(',', StringSplitOptions.TrimEntries);
        foreach (var role in roles)
            if (role is not (NodeRoles.Controller or NodeRoles.Compute))
                throw new ArgumentException($"CLOUD_ACTORS_ROLES: unknown role '{role}' (expected controller and/or compute)");
        var persistence = baseConfig.GetString("cloud-actors.persistence");
        if (persistence is not ("sqlite" or "postgres"))
            throw new ArgumentException($"CLOUD_ACTORS_PERSISTENCE: unknown persistence '{persistence}' (expected sqlite or postgres)");

        var config = baseConfig;
        foreach (var role in roles) config = config.WithFallback(Read($"{role}.conf"));
        config = config.WithFallback(Read($"{persistence}.conf"));
        // The overrides go in front once more so they also win over the role and persistence files.
        config = overrides.WithFallback(config);

        var stateDir = Path.GetFullPath(config.GetString("cloud-actors.state-dir"));
        Directory.CreateDirectory(stateDir);
        var generated = new List<string>
        {
            $"akka.cluster.roles = [{string.Join(", ", roles.Select(Quote))}]",
            $"akka.cluster.seed-nodes = [{string.Join(", ", SeedAddresses(config).Select(Quote))}]",
        };
        if (persistence == "sqlite")
        {
            var journal = Path.Combine(stateDir, "journal.db");
            SqliteJournalFile.UseWriteAheadLog(journal);
            var connection = Quote($"Data Source={journal}");
            generated.Add($"akka.persistence.journal.sql.connection-string = {connection}");
            generated.Add($"akka.persistence.snapshot-store.sql.connection-string = {connection}");
        }
        return new NodeSettings(ConfigurationFactory.ParseString(string.Join("\n", generated)).WithFallback(config)
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration));
    }

    public const string SystemName = "cloud-actors";

    /// <summary>Colon-separated HOCON files that override hocon/ (but not the CLOUD_ACTORS_* variables).</summary>
    public const string SiteConfigVariable = "CLOUD_ACTORS_CONFIG";

    private static Config SiteConfig(string? files)
    {
        var config = ConfigurationFactory.Empty;
        foreach (var file in (files ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!File.Exists(file)) throw new ArgumentException($"{SiteConfigVariable}: no such file '{file}'");
            // Earlier files win, as in a search path.
            config = config.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(file)));
        }
        return config;
    }

    private static IEnumerable<string> SeedAddresses(Config config)
    {
        var seeds = config.GetString("cloud-actors.seeds").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var port = config.GetInt("akka.remote.dot-netty.tcp.port");
        // With no seeds the node is its own seed; on a random port (tests) it is joined by hand.
        if (seeds.Length == 0 && port != 0)
            seeds = [$"{config.GetString("akka.remote.dot-netty.tcp.hostname")}:{port}"];
        return seeds.Select(s => $"akka.tcp://{SystemName}@{s}");
    }

    /// <summary>HOCON quoted strings are JSON strings, so JSON escaping makes any path or value safe in them.</summary>
    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}

public static class NodeRoles
{
    public const string Controller = "controller";
    public const string Compute = "compute";
}
