using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// A value of an Akka type inside a message (the <c>ISourceRef&lt;ByteString&gt;</c> of an image offer, a
/// ByteString ...) as Akka's own serializer for it writes it: <c>{"Serializer": id, "Manifest": ..., "Bytes": ...}</c>.
/// Such objects have internals (a stream ref's partner actor, its element type) that only their own serializer knows
/// how to carry; this only wraps its bytes. Actor refs are left to <see cref="ActorRefJsonConverter"/>.
/// </summary>
public sealed class AkkaSerializedJsonConverter(ExtendedActorSystem system) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.Assembly.GetName().Name is { } assembly
        && (assembly == "Akka" || assembly.StartsWith("Akka.", StringComparison.Ordinal))
        && !typeof(IActorRef).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Wrapped<>).MakeGenericType(typeToConvert), system)!;

    private sealed class Wrapped<T>(ExtendedActorSystem system) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return default!;
            var wrapper = JsonSerializer.Deserialize<Wrapper>(ref reader, options)
                          ?? throw new JsonException($"No serialized {typeof(T).Name}");
            return (T)system.Serialization.Deserialize(wrapper.Bytes, wrapper.Serializer, wrapper.Manifest);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNullValue();
                return;
            }
            var serializer = system.Serialization.FindSerializerFor(value);
            var wrapper = new Wrapper(serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, value), serializer.ToBinary(value));
            JsonSerializer.Serialize(writer, wrapper, options);
        }
    }

    private sealed record Wrapper(int Serializer, string Manifest, byte[] Bytes);
}
