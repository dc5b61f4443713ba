using System.Collections.Concurrent;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// System.Text.Json for the events and snapshots our actors journal (bound in hocon/base.conf). Akka's
/// default, Newtonsoft with TypeNameHandling, ran on the journal actor's single thread for every event and
/// was the largest part of its work per boot; this writes plain JSON, about a third the size, with the type
/// in the manifest. Rows written earlier keep their serializer id and are still read by Newtonsoft.
/// The bound types hold no IActorRef, so the same bytes are valid over remoting.
/// </summary>
public sealed class EventJsonSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // Computed properties (Status, InstanceName ...) are derived again after reading; don't store them.
        IgnoreReadOnlyProperties = true,
    };

    private static readonly ConcurrentDictionary<Type, string> Manifests = new();
    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);

    public override int Identifier => 7_401;

    public override string Manifest(object o) =>
        Manifests.GetOrAdd(o.GetType(), t => $"{t.FullName}, {t.Assembly.GetName().Name}");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = Types.GetOrAdd(manifest, m => Type.GetType(m, throwOnError: false)
            ?? throw new System.Runtime.Serialization.SerializationException($"Unknown type in event manifest '{m}'"));
        return JsonSerializer.Deserialize(bytes, type, Options)
               ?? throw new System.Runtime.Serialization.SerializationException($"Empty payload for '{manifest}'");
    }
}
