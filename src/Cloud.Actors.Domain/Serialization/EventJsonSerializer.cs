using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// System.Text.Json for the events and snapshots our actors journal (bound in hocon/base.conf). Akka's default,
/// Newtonsoft with TypeNameHandling, ran on the journal actor's single thread for every event and was the largest
/// part of its work per boot; this writes plain JSON, about a third the size, with a short manifest from the
/// assemblies' <see cref="ManifestTable"/>s. Rows of release 064f270 and earlier carry the CLR name as manifest:
/// the tables list those names as former manifests. Rows Newtonsoft wrote keep its serializer id and are read by it.
/// The identifier stays 7401 because every journaled row names it. The bound types hold no IActorRef: a journal
/// must not keep references to actors of a past incarnation.
/// </summary>
public sealed class EventJsonSerializer : ManifestJsonSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // Computed properties (Status, InstanceName ...) are derived again after reading; don't store them.
        IgnoreReadOnlyProperties = true,
    };

    /// <summary>As Akka creates it, with its <c>akka.actor.serialization-settings.cloud-json</c> block.</summary>
    public EventJsonSerializer(ExtendedActorSystem system, Config settings) : this(system, TablesOf(settings))
    {
    }

    public EventJsonSerializer(ExtendedActorSystem system, params ManifestTable[] tables)
        : base(system, ManifestTable.Combine(tables), Options)
    {
    }

    public override int Identifier => 7_401;
}
