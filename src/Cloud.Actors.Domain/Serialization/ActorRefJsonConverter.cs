using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// An IActorRef in a message as Akka serializes one: its path with the address the receiving node can reach it by
/// (Akka sets that address while it serializes for remoting), resolved by the receiving system's provider. So a
/// reply to a ref that crossed nodes reaches the actor it came from.
/// </summary>
public sealed class ActorRefJsonConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
{
    public override bool HandleNull => true;

    public override IActorRef? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : system.Provider.ResolveActorRef(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, IActorRef? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
    }
}
