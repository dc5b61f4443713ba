using Akka.Actor;
using Akka.Configuration;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Cloud.Actors.Node;

namespace Cloud.Actors.Node.Tests;

/// <summary>
/// The SourceRef path between two bare actor systems over remoting (no cluster, no journal that would happen to
/// start Akka.Streams): the receiver can read an offered SourceRef as soon as <see cref="NodeImages.PrepareStreams"/>
/// has run, before it has streamed anything itself, and ByteString chunks cross with base.conf's serializer.
/// </summary>
public sealed class StreamRefRemotingSpecs : IAsyncLifetime
{
    private ActorSystem _offering = null!;
    private ActorSystem _receiving = null!;

    public Task InitializeAsync()
    {
        // base.conf for its serializer bindings; remoting only, on a free port.
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.loglevel = WARNING
            """).WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(InProcessCluster.HoconDir, "base.conf"))));
        _offering = ActorSystem.Create("offering", config);
        _receiving = ActorSystem.Create("receiving", config);
        NodeImages.PrepareStreams(_offering);
        NodeImages.PrepareStreams(_receiving);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _receiving.Terminate();
        await _offering.Terminate();
    }

    [Fact]
    public async Task A_few_MiB_cross_as_a_source_ref_of_byte_strings()
    {
        var bytes = new byte[5 * 1024 * 1024];
        new Random(3).NextBytes(bytes);
        _offering.ActorOf(Props.Create(() => new Offerer(bytes)), "offerer");
        var address = ((ExtendedActorSystem)_offering).Provider.DefaultAddress;

        var offered = await _receiving.ActorSelection(new RootActorPath(address) / "user" / "offerer")
            .Ask<ISourceRef<ByteString>>("offer", TimeSpan.FromSeconds(5));
        var received = await offered.Source.RunAggregate(ByteString.Empty, (all, chunk) => all + chunk, _receiving.Materializer());

        Assert.Equal(bytes.Length, received.Count);
        Assert.Equal(System.Security.Cryptography.MD5.HashData(bytes), System.Security.Cryptography.MD5.HashData(received.ToArray()));
    }

    private sealed class Offerer : ReceiveActor
    {
        public Offerer(byte[] bytes)
        {
            var materializer = Context.Materializer();
            Receive<string>(_ =>
            {
                var chunks = Enumerable.Range(0, (bytes.Length + 65_535) / 65_536)
                    .Select(i => ByteString.CopyFrom(bytes, i * 65_536, Math.Min(65_536, bytes.Length - i * 65_536)));
                Source.From(chunks).RunWith(StreamRefs.SourceRef<ByteString>(), materializer).PipeTo(Sender);
            });
        }
    }
}
