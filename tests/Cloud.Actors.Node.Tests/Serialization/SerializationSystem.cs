using Akka.Actor;
using Akka.Configuration;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Cloud.Actors.Node.Tests.Serialization;

/// <summary>
/// An actor system with base.conf's serializers (no cluster, no journal), a live actor and a live SourceRef to put
/// in sample messages: the serializers resolve actor refs and nest stream refs through the system they run in.
/// </summary>
public sealed class SerializationSystem : IAsyncLifetime
{
    public ExtendedActorSystem System { get; private set; } = null!;

    /// <summary>An actor to stand for every IActorRef in a sample.</summary>
    public IActorRef Actor { get; private set; } = null!;

    public Samples Samples { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        System = (ExtendedActorSystem)ActorSystem.Create("serialization", ConfigurationFactory
            .ParseString("akka.actor.provider = local\nakka.loglevel = WARNING").WithFallback(BoundTypes.BaseConf));
        NodeImages.PrepareStreams(System);
        Actor = System.ActorOf(Props.Empty, "sample-actor");
        var bytes = await Source.Single(ByteString.FromString("sample")).RunWith(StreamRefs.SourceRef<ByteString>(), System.Materializer());
        Samples = new Samples(type =>
            type == typeof(IActorRef) ? Actor
            : type == typeof(ISourceRef<ByteString>) ? bytes
            : null);
    }

    public async Task DisposeAsync() => await System.Terminate();
}
