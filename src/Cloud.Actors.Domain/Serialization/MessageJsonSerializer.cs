using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// System.Text.Json for the messages that cross nodes (<see cref="Messages.IClusterMessage"/>, bound in
/// hocon/base.conf), with the same short manifests as the journal. Akka's default Newtonsoft serializer would embed
/// CLR type names, so a record renamed on one node could not be read by a node of the previous build. Actor refs
/// travel as their serialized paths, resolved on arrival; other Akka objects inside a message (an image offer's
/// SourceRef) through Akka's own serializer for them.
/// </summary>
public sealed class MessageJsonSerializer : ManifestJsonSerializer
{
    /// <summary>As Akka creates it, with its <c>akka.actor.serialization-settings.cloud-messages</c> block.</summary>
    public MessageJsonSerializer(ExtendedActorSystem system, Config settings) : this(system, TablesOf(settings))
    {
    }

    public MessageJsonSerializer(ExtendedActorSystem system, params ManifestTable[] tables)
        : base(system, ManifestTable.Combine(tables), OptionsFor(system))
    {
    }

    public override int Identifier => 7_403;

    private static JsonSerializerOptions OptionsFor(ExtendedActorSystem system) => new()
    {
        // Computed properties (Status, InstanceName ...) are derived again after reading; don't send them.
        IgnoreReadOnlyProperties = true,
        // Actor refs first: they are Akka objects too, but travel as paths, not through Akka's serializers.
        Converters = { new ActorRefJsonConverter(system), new AkkaSerializedJsonConverter(system) },
    };
}
