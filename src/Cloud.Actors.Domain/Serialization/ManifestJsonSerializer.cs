using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// System.Text.Json with the short manifests of the <see cref="ManifestTable"/>s named in the serializer's
/// <c>manifest-tables</c> setting (hocon/base.conf): the manifest says which type a row or message is, the JSON holds
/// only its data. What the JSON may contain (actor refs or not) is the subclass's choice of options.
/// </summary>
public abstract class ManifestJsonSerializer : SerializerWithStringManifest
{
    private readonly FrozenDictionary<Type, string> _manifests;
    private readonly FrozenDictionary<string, Type> _types;
    private readonly JsonSerializerOptions _options;

    protected ManifestJsonSerializer(ExtendedActorSystem system, ManifestTable manifests, JsonSerializerOptions options)
        : base(system)
    {
        (_manifests, _types) = manifests.Freeze();
        _options = options;
    }

    /// <summary>The tables a serializer's settings name (its <c>manifest-tables</c> list), combined.</summary>
    protected static ManifestTable TablesOf(Config settings) => ManifestTable.Load(settings.GetStringList("manifest-tables"));

    public override string Manifest(object o) =>
        _manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException(
                $"{o.GetType().FullName} has no manifest: declare one in its assembly's ManifestTable (see hocon/base.conf)");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!_types.TryGetValue(manifest, out var type))
            throw new SerializationException($"Unknown manifest '{manifest}': no ManifestTable of this node declares it");
        return JsonSerializer.Deserialize(bytes, type, _options)
               ?? throw new SerializationException($"Empty payload for '{manifest}'");
    }
}
