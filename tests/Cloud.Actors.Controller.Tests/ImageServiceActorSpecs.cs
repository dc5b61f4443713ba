using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Images;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Messages;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

public sealed class ImageServiceActorSpecs(ITestOutputHelper output) : ControllerSpec(output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    private (ImageStore Store, Akka.Actor.IActorRef Catalog, Akka.Actor.IActorRef Service) Start()
    {
        var store = new ImageStore(ScratchFile("images"));
        var catalog = Sys.ActorOf(CatalogActor.Props());
        return (store, catalog, Sys.ActorOf(ImageServiceActor.Props(store, catalog, Wait)));
    }

    [Fact]
    public async Task A_stored_active_image_is_offered_with_its_md5_in_chunks_of_at_most_64_KiB()
    {
        var (store, catalog, service) = Start();
        var bytes = RandomBytes(1_000_000);
        await store.ImportAsync(Image.CirrosId, new MemoryStream(bytes));

        service.Tell(new FetchImage(Image.CirrosId), TestActor);
        var offer = ExpectMsg<ImageOffer>(Wait);
        var chunks = await offer.Bytes.Source.RunWith(Sink.Seq<ByteString>(), Sys.Materializer());

        Assert.Equal((bytes.Length, Md5(bytes)), (offer.Image.SizeBytes, offer.Image.Checksum));
        Assert.Equal("qcow2", offer.Image.DiskFormat);
        Assert.All(chunks, c => Assert.InRange(c.Count, 1, 64 * 1024));
        Assert.Equal(bytes, chunks.Aggregate(ByteString.Empty, (all, c) => all + c).ToArray());
    }

    [Fact]
    public void An_unknown_image_is_not_found()
    {
        var (_, _, service) = Start();

        service.Tell(new FetchImage("7e57ab1e-0000-4000-8000-000000000000"), TestActor);

        var rejected = ExpectMsg<ImageFetchRejected>(Wait);
        Assert.Equal(404, rejected.Code);
        Assert.Contains("could not be found", rejected.Message);
    }

    [Fact]
    public async Task An_image_that_is_not_active_is_refused()
    {
        var (store, catalog, service) = Start();
        var queued = Image.Cirros(DateTimeOffset.UtcNow) with { Id = "queued-image", Status = "queued" };
        catalog.Tell(new RegisterImage(queued), TestActor);
        ExpectMsg<CatalogChanged>(Wait);
        await store.ImportAsync("queued-image", new MemoryStream([1, 2, 3]));

        service.Tell(new FetchImage("queued-image"), TestActor);

        var rejected = ExpectMsg<ImageFetchRejected>(Wait);
        Assert.Equal(409, rejected.Code);
        Assert.Contains("not active", rejected.Message);
    }

    [Fact]
    public void A_bad_id_is_refused_before_anything_is_looked_up()
    {
        var (_, _, service) = Start();

        service.Tell(new FetchImage("../../etc/passwd"), TestActor);

        Assert.Equal(400, ExpectMsg<ImageFetchRejected>(Wait).Code);
    }
}
