using System.Reflection;
using System.Text.RegularExpressions;
using Akka.Serialization;
using Cloud.Actors.Domain.Messages;
using Cloud.Actors.Domain.Serialization;

namespace Cloud.Actors.Node.Tests.Serialization;

/// <summary>
/// Every type hocon/base.conf binds to our JSON serializers (found by reflection over the node's assemblies) has a
/// short manifest and reads back as it was written, through the serializer Akka picks for it; every type with a
/// manifest is bound; every message record is bound. A record added without its manifest or binding fails here.
/// </summary>
public sealed partial class ManifestBindingSpecs(SerializationSystem node) : IClassFixture<SerializationSystem>
{
    private static readonly ManifestTable Tables = BoundTypes.Tables(BoundTypes.Events);

    public static TheoryData<string> CoveredTypes() => new(BoundTypes.Covered.Select(c => Name(c.Type)));

    public static TheoryData<string> DeclaredTypes() => new(Tables.Manifests.Keys.Select(Name).Order(StringComparer.Ordinal));

    public static TheoryData<string> FormerManifests() =>
        new(Tables.Types.Where(t => Tables.Manifests[t.Value] != t.Key).Select(t => t.Key).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CoveredTypes))]
    public void A_bound_type_has_a_short_manifest(string typeName)
    {
        var type = Type.GetType(typeName)!;

        Assert.True(Tables.Manifests.TryGetValue(type, out var manifest), $"{type.Name} has no manifest in any ManifestTable");
        Assert.Matches(ShortManifest(), manifest);
    }

    [Theory]
    [MemberData(nameof(CoveredTypes))]
    public void A_bound_type_reads_back_as_written_through_the_serializer_it_is_bound_to(string typeName)
    {
        var type = Type.GetType(typeName)!;
        var sample = node.Samples.Of(type);
        var expected = BoundTypes.Covered.Single(c => c.Type == type).Serializer == BoundTypes.Events ? 7_401 : 7_403;

        var serializer = node.System.Serialization.FindSerializerFor(sample);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, sample);
        var read = node.System.Serialization.Deserialize(serializer.ToBinary(sample), serializer.Identifier, manifest);

        Assert.Equal(expected, serializer.Identifier);
        Assert.Equal(Tables.Manifests[type], manifest);
        Assert.IsType(type, read);
        Assert.Null(Structurally.Difference(sample, read));
    }

    [Theory]
    [MemberData(nameof(DeclaredTypes))]
    public void A_type_with_a_manifest_is_bound_to_a_JSON_serializer(string typeName)
    {
        var serializer = node.System.Serialization.FindSerializerForType(Type.GetType(typeName)!);

        Assert.IsAssignableFrom<ManifestJsonSerializer>(serializer);
    }

    [Theory]
    [MemberData(nameof(FormerManifests))]
    public void A_row_under_a_former_manifest_reads_as_its_type(string former)
    {
        var type = Tables.Types[former];
        var sample = node.Samples.Of(type);
        var serializer = (SerializerWithStringManifest)node.System.Serialization.FindSerializerFor(sample);

        var read = serializer.FromBinary(serializer.ToBinary(sample), former);

        Assert.IsType(type, read);
        Assert.Null(Structurally.Difference(sample, read));
    }

    [Fact]
    public void The_message_serializer_knows_the_same_tables_as_the_event_serializer()
    {
        var settings = BoundTypes.BaseConf.GetConfig("akka.actor.serialization-settings");

        Assert.Equal(settings.GetStringList("cloud-json.manifest-tables"), settings.GetStringList("cloud-messages.manifest-tables"));
        Assert.Equal(3, settings.GetStringList("cloud-json.manifest-tables").Count);
    }

    [Fact]
    public void Every_record_in_Messages_is_a_cluster_message_or_travels_inside_one()
    {
        var messages = typeof(IClusterMessage).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IClusterMessage).Namespace && t is { IsClass: true, IsNested: false } && !IsCompilerGenerated(t))
            .ToList();
        var parts = messages.Where(typeof(IClusterMessage).IsAssignableFrom)
            .SelectMany(m => m.GetProperties().Select(p => p.PropertyType.IsArray ? p.PropertyType.GetElementType()! : p.PropertyType))
            .ToHashSet();

        Assert.Empty(messages.Where(t => !typeof(IClusterMessage).IsAssignableFrom(t) && !parts.Contains(t)).Select(t => t.Name));
        Assert.Contains(typeof(HostGuest), parts);
    }

    [Fact]
    public void The_messages_that_carry_actor_refs_and_stream_refs_are_bound()
    {
        // The awkward ones, named so that a reflection mistake cannot drop them silently.
        var covered = BoundTypes.Covered.Select(c => c.Type).ToHashSet();

        Assert.Superset(new HashSet<Type>
        {
            typeof(RegisterHost), typeof(ComputeAvailable), typeof(DestinationSelected), typeof(ChangeServiceStatus),
            typeof(ServiceStatusChanged), typeof(FollowConsole), typeof(ImageOffer), typeof(BuildInstance), typeof(InstanceChanged),
        }, covered);
    }

    private static string Name(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static bool IsCompilerGenerated(Type type) => type.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is not null;

    /// <summary>Lower-case words joined by dashes: short, readable, and never a CLR name.</summary>
    [GeneratedRegex("^[a-z]+(-[a-z0-9]+)*$")]
    private static partial Regex ShortManifest();
}
