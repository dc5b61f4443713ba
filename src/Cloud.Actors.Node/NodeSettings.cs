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
        StartupBackoffMin = node.GetTimeSpan("startup-backoff.min");
        StartupBackoffMax = node.GetTimeSpan("startup-backoff.max");
        ShellHost = node.GetString("shell.host");
        ShellPort = node.GetInt("shell.port");
        Hostname = config.GetString("akka.remote.dot-netty.tcp.hostname");
        Port = config.GetInt("akka.remote.dot-netty.tcp.port");
        ManagementHost = node.GetString("management.host");
        ManagementPort = node.GetInt("management.port");
        // Both are advertised to the other nodes (remoting's address, bootstrap's contact point): an address they can
        // reach, not a wildcard; the management endpoint listens on exactly it.
        if (!System.Net.IPAddress.TryParse(ManagementHost, out var management) || IsWildcard(management))
            throw new ArgumentException(
                $"CLOUD_ACTORS_MANAGEMENT_HOST (or CLOUD_ACTORS_ADDRESS): '{ManagementHost}' is not an IP address other nodes can reach");
        if (System.Net.IPAddress.TryParse(Hostname, out var remoting) && IsWildcard(remoting))
            throw new ArgumentException(
                $"CLOUD_ACTORS_HOSTNAME (or CLOUD_ACTORS_ADDRESS): '{Hostname}' is a wildcard; remoting advertises it to the other nodes, which cannot reach it");
        var contactPoints = node.GetString("contact-points")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var point in contactPoints)
            if (!IsHostPort(point))
                throw new ArgumentException($"CLOUD_ACTORS_CONTACT_POINTS: '{point}' is not host:port (the management endpoint of a node)");
        // With none given the node is its own only contact point: a cluster of one, formed by itself.
        ContactPoints = contactPoints.Length > 0 ? contactPoints : [$"{ManagementHost}:{ManagementPort}"];
    }

    public Config Config { get; }
    public string NodeName { get; }
    public IReadOnlyList<string> Roles { get; }
    public string StateDir { get; }
    public string Persistence { get; }
    public TimeSpan AskTimeout { get; }

    /// <summary>The first and the longest pause before start-up work (or a persistent actor whose journal failed) is tried again.</summary>
    public TimeSpan StartupBackoffMin { get; }

    public TimeSpan StartupBackoffMax { get; }
    public string ShellHost { get; }
    public int ShellPort { get; }

    /// <summary>The address remoting binds to and advertises (akka.remote.dot-netty.tcp.hostname).</summary>
    public string Hostname { get; }

    /// <summary>The remoting port; 0 picks a free one (in-process tests).</summary>
    public int Port { get; }

    /// <summary>Where the node's Akka.Management endpoint listens: cluster bootstrap's contact point.</summary>
    public string ManagementHost { get; }

    public int ManagementPort { get; }

    /// <summary>
    /// The management endpoints (host:port) of every node that may hold the cluster. Cluster bootstrap asks them all
    /// before it forms a new cluster, so a restarted node joins the running one instead of starting a second.
    /// </summary>
    public IReadOnlyList<string> ContactPoints { get; }

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
        var generated = new List<string>();
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

    private static bool IsWildcard(System.Net.IPAddress address) =>
        address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any);

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value[(colon + 1)..], out var port) && port is > 0 and <= 65535;
    }

    /// <summary>HOCON quoted strings are JSON strings, so JSON escaping makes any path or value safe in them.</summary>
    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}

public static class NodeRoles
{
    public const string Controller = "controller";
    public const string Compute = "compute";
}
