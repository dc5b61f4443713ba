using Akka.Actor;
using Akka.Configuration;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Node.Tests.Serialization;

/// <summary>
/// Cluster messages between two actor systems over remoting, with base.conf's serializers: each crosses and comes
/// back unchanged, an actor ref in one still reaches its actor from the other node, and an image offer's SourceRef
/// still streams its bytes to the node that asked.
/// </summary>
public sealed class MessageRemotingSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private ActorSystem _here = null!;
    private ActorSystem _there = null!;
    private Samples _samples = null!;
    private IActorRef _local = null!;

    public static TheoryData<string> Messages() => new(BoundTypes.Covered
        .Where(c => c.Serializer == BoundTypes.Messages)
        .Select(c => $"{c.Type.FullName}, {c.Type.Assembly.GetName().Name}"));

    public async Task InitializeAsync()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.loglevel = WARNING
            """).WithFallback(BoundTypes.BaseConf);
        _here = ActorSystem.Create("here", config);
        _there = ActorSystem.Create("there", config);
        NodeImages.PrepareStreams(_here);
        NodeImages.PrepareStreams(_there);
        _there.ActorOf(Props.Create(() => new Echo()), "echo");
        _there.ActorOf(Props.Create(() => new ImageOfferer()), "images");
        _there.ActorOf(Props.Create(() => new ConsoleSource()), "console");
        _local = _here.ActorOf(Props.Empty, "local");
        var sourceRef = await Source.Single(ByteString.FromString("sample")).RunWith(StreamRefs.SourceRef<ByteString>(), _here.Materializer());
        _samples = new Samples(type => type == typeof(IActorRef) ? _local : type == typeof(ISourceRef<ByteString>) ? sourceRef : null);
    }

    public async Task DisposeAsync()
    {
        await _here.Terminate();
        await _there.Terminate();
    }

    private ActorSelection There(string name) =>
        _here.ActorSelection(new RootActorPath(((ExtendedActorSystem)_there).Provider.DefaultAddress) / "user" / name);

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task A_message_crosses_to_another_node_and_back_unchanged(string typeName)
    {
        var sample = _samples.Of(Type.GetType(typeName)!);

        var back = await There("echo").Ask<object>(sample, Timeout);

        Assert.IsType(sample.GetType(), back);
        Assert.Null(Structurally.Difference(sample, back));
    }

    [Fact]
    public async Task An_actor_ref_in_a_message_reaches_its_actor_from_the_other_node()
    {
        var chunks = new TaskCompletionSource<ConsoleChunk>(TaskCreationOptions.RunContinuationsAsynchronously);
        var follower = _here.ActorOf(Props.Create(() => new Follower(chunks)), "follower");
        var id = Guid.NewGuid();

        var seenThere = await There("console").Ask<string>(new FollowConsole(id, 10, follower), Timeout);

        var hereAddress = ((ExtendedActorSystem)_here).Provider.DefaultAddress;
        Assert.Equal(follower.Path.ToStringWithAddress(hereAddress), seenThere);
        Assert.Equal(new ConsoleChunk(id, "login: "), await chunks.Task.WaitAsync(Timeout));
    }

    [Fact]
    public async Task An_image_offer_streams_its_bytes_to_the_node_that_asked()
    {
        var offer = await There("images").Ask<ImageOffer>(new FetchImage("tiny"), Timeout);

        var bytes = await offer.Bytes.Source.RunAggregate(ByteString.Empty, (all, chunk) => all + chunk, _here.Materializer());

        Assert.Equal("tiny", offer.Image.Id);
        Assert.Equal(ImageOfferer.Bytes, bytes.ToArray());
    }

    [Fact]
    public async Task Collections_typed_as_interfaces_cross_with_their_contents()
    {
        // Collection expressions typed as interfaces compile to types that exist only in the sending assembly.
        var image = new Image("i", "n", "active", "raw", "bare", 1, 0, 0, new Dictionary<string, string> { ["os_distro"] = "debian" },
            DateTimeOffset.UnixEpoch) { Tags = ["uno", "dos"] };
        var capabilities = new HostCapabilities("compute1", "compute1", "fake", 4, 4096, 40, "nova", true,
            new Dictionary<string, string> { ["hypervisor_type"] = "fake" });
        var register = new RegisterHost(capabilities, new Dictionary<Guid, Resources> { [Guid.NewGuid()] = new(1, 512, 1) }, _local);

        var imageBack = await There("echo").Ask<RegisterImage>(new RegisterImage(image), Timeout);
        var registerBack = await There("echo").Ask<RegisterHost>(register, Timeout);

        Assert.Equal(["uno", "dos"], imageBack.Image.Tags);
        Assert.Equal("debian", imageBack.Image.Properties["os_distro"]);
        Assert.Equal(register.Allocations.Single(), registerBack.Allocations.Single());
        Assert.Equal("fake", registerBack.Capabilities.Properties["hypervisor_type"]);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }

    /// <summary>Streams to a follower as a compute host's console tailer does, and tells the asker whom it streams to.</summary>
    private sealed class ConsoleSource : ReceiveActor
    {
        public ConsoleSource() => Receive<FollowConsole>(follow =>
        {
            follow.Subscriber.Tell(new ConsoleChunk(follow.InstanceId, "login: "));
            Sender.Tell(follow.Subscriber.Path.ToString());
        });
    }

    private sealed class Follower : ReceiveActor
    {
        public Follower(TaskCompletionSource<ConsoleChunk> chunks) => Receive<ConsoleChunk>(chunk => chunks.TrySetResult(chunk));
    }

    /// <summary>Answers a fetch as the controller's image service does: the record and its bytes as a SourceRef.</summary>
    private sealed class ImageOfferer : ReceiveActor
    {
        public static readonly byte[] Bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();

        public ImageOfferer()
        {
            var materializer = Context.Materializer();
            Receive<FetchImage>(fetch =>
            {
                var image = new Image(fetch.ImageId, "tiny", "active", "raw", "bare", Bytes.Length, 0, 0,
                    new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);
                Source.From(Bytes.Chunk(65_536).Select(ByteString.FromBytes))
                    .RunWith(StreamRefs.SourceRef<ByteString>(), materializer)
                    .PipeTo(Sender, success: bytes => new ImageOffer(image, bytes));
            });
        }
    }
}
