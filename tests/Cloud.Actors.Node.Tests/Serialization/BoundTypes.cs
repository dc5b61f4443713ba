using System.Reflection;
using Akka.Configuration;
using Cloud.Actors.Domain.Serialization;

namespace Cloud.Actors.Node.Tests.Serialization;

/// <summary>
/// What hocon/base.conf binds to our JSON serializers, and every concrete type of the node's assemblies those
/// bindings cover: found by reflection, so a record added under a bound interface is checked without being listed.
/// </summary>
public static class BoundTypes
{
    public const string Events = "cloud-json";
    public const string Messages = "cloud-messages";

    /// <summary>hocon/base.conf as the node reads it first.</summary>
    public static Config BaseConf { get; } =
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(InProcessCluster.HoconDir, "base.conf")));

    /// <summary>The bound type and the serializer it is bound to, for every binding to cloud-json or cloud-messages.</summary>
    public static IReadOnlyList<(Type Bound, string Serializer)> Bindings { get; } = BaseConf
        .GetConfig("akka.actor.serialization-bindings").AsEnumerable()
        .Select(b => (Name: b.Key, Serializer: b.Value.GetString()))
        .Where(b => b.Serializer is Events or Messages)
        .Select(b => (Type.GetType(b.Name) ?? throw new InvalidOperationException($"base.conf binds unknown type {b.Name}"), b.Serializer))
        .ToList();

    /// <summary>The Cloud.Actors assemblies a node runs (those next to this test's assembly, tests excluded).</summary>
    public static IReadOnlyList<Assembly> NodeAssemblies { get; } = Directory
        .GetFiles(AppContext.BaseDirectory, "Cloud.Actors.*.dll")
        .Select(Path.GetFileNameWithoutExtension)
        .Where(name => !name!.EndsWith(".Tests", StringComparison.Ordinal))
        .Select(name => Assembly.Load(name!))
        .ToList();

    /// <summary>Every concrete type a binding covers, with the serializer it is bound to.</summary>
    public static IReadOnlyList<(Type Type, string Serializer)> Covered { get; } = Bindings
        .SelectMany(b => NodeAssemblies.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false } && b.Bound.IsAssignableFrom(t))
            .Select(t => (t, b.Serializer)))
        .Distinct()
        .OrderBy(t => t.Item1.FullName, StringComparer.Ordinal)
        .ToList();

    /// <summary>The manifest tables base.conf names for a serializer, combined as the serializer combines them.</summary>
    public static ManifestTable Tables(string serializer) => ManifestTable.Load(
        BaseConf.GetStringList($"akka.actor.serialization-settings.{serializer}.manifest-tables"));
}
