using Akka.Actor;
using Akka.Serialization;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Messages;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

/// <summary>The catalog's image records: Glance's create, status-guarded update and delete, durable in the journal.</summary>
public sealed class CatalogImageSpecs(ITestOutputHelper output) : ControllerSpec(output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);
    private const string Id = "0b6c3b8e-5a8f-4f0e-9d55-3f6b2a7c9e10";

    private static Image Queued() =>
        new(Id, "mi-imagen", "queued", "qcow2", "bare", 0, 0, 0, new Dictionary<string, string>(), DateTimeOffset.UtcNow,
            Owner: "d7528db6423e4029902ab06e413dfb9c", Visibility: Image.Private) { Tags = ["uno"] };

    [Fact]
    public async Task A_created_image_is_deleted_and_stays_deleted_after_a_restart()
    {
        var catalog = Sys.ActorOf(CatalogActor.Props());
        Assert.IsType<CatalogChanged>(await catalog.Ask<object>(new CreateImage(Queued()), Wait));
        var changed = Assert.IsType<CatalogChanged>(await catalog.Ask<object>(new DeleteImage(Id), Wait));
        Assert.DoesNotContain(changed.Catalog.Images, i => i.Id == Id);

        await catalog.GracefulStop(Wait);
        var recovered = Sys.ActorOf(CatalogActor.Props());
        var view = await recovered.Ask<CatalogView>(GetCatalog.Instance, Wait);

        Assert.DoesNotContain(view.Images, i => i.Id == Id);
        Assert.Contains(view.Images, i => i.Id == Image.CirrosId && i.Visibility == Image.Public && i.Owner is null);
    }

    [Fact]
    public async Task Deleting_an_unknown_image_is_404()
    {
        var catalog = Sys.ActorOf(CatalogActor.Props());
        var rejected = Assert.IsType<CatalogRejected>(await catalog.Ask<object>(new DeleteImage(Id), Wait));
        Assert.Equal(404, rejected.Code);
    }

    [Fact]
    public async Task Creating_a_taken_id_is_409()
    {
        var catalog = Sys.ActorOf(CatalogActor.Props());
        await catalog.Ask<object>(new CreateImage(Queued()), Wait);
        var rejected = Assert.IsType<CatalogRejected>(await catalog.Ask<object>(new CreateImage(Queued() with { Name = "otra" }), Wait));
        Assert.Equal(409, rejected.Code);
    }

    [Fact]
    public async Task An_update_applies_only_to_the_record_it_was_made_from()
    {
        var catalog = Sys.ActorOf(CatalogActor.Props());
        await catalog.Ask<object>(new CreateImage(Queued()), Wait);
        Assert.IsType<CatalogChanged>(await catalog.Ask<object>(new UpdateImage(Queued() with { Status = "saving" }, Queued()), Wait));

        // A second upload racing for the same queued image finds it saving.
        var rejected = Assert.IsType<CatalogRejected>(await catalog.Ask<object>(new UpdateImage(Queued() with { Status = "saving" }, Queued()), Wait));
        Assert.Equal(409, rejected.Code);
        var unknown = Assert.IsType<CatalogRejected>(await catalog.Ask<object>(new UpdateImage(Queued() with { Id = Image.CirrosId + "0" }, Queued()), Wait));
        Assert.Equal(404, unknown.Code);
    }

    [Fact]
    public async Task An_update_made_from_a_record_another_request_changed_is_409_and_keeps_that_change()
    {
        var catalog = Sys.ActorOf(CatalogActor.Props());
        await catalog.Ask<object>(new CreateImage(Queued()), Wait);
        var renamed = Queued() with { Name = "renamed" };
        Assert.IsType<CatalogChanged>(await catalog.Ask<object>(new UpdateImage(renamed, Queued()), Wait));

        // An upload that read the image before the rename would write the old name back with its status.
        var stale = Assert.IsType<CatalogRejected>(await catalog.Ask<object>(new UpdateImage(Queued() with { Status = "saving" }, Queued()), Wait));

        Assert.Equal(409, stale.Code);
        Assert.Contains("changed by another request", stale.Message);
        var kept = (await catalog.Ask<CatalogView>(GetCatalog.Instance, Wait)).Images.Single(i => i.Id == Queued().Id);
        Assert.Equal(("renamed", "queued"), (kept.Name, kept.Status));
    }

    [Fact]
    public void An_image_event_journaled_before_owner_visibility_and_tags_reads_back_public_and_unowned()
    {
        // Catalog events of release 064f270 and earlier went through Akka's default serializer (Newtonsoft, still
        // this test system's), and such rows are still read by it; strip the new members from a fresh event's JSON to
        // get what an older controller wrote.
        var serializer = Sys.Serialization.FindSerializerFor(new ImageRegistered(Queued()));
        var json = System.Text.Encoding.UTF8.GetString(serializer.ToBinary(new ImageRegistered(Queued())));
        var node = Newtonsoft.Json.Linq.JObject.Parse(json);
        var image = (Newtonsoft.Json.Linq.JObject)node["Image"]!;
        image.Remove("Owner");
        image.Remove("Visibility");
        image.Remove("Tags");
        var old = System.Text.Encoding.UTF8.GetBytes(node.ToString(Newtonsoft.Json.Formatting.None));

        var read = (ImageRegistered)serializer.FromBinary(old, typeof(ImageRegistered));

        Assert.Equal((Image.Public, (string?)null), (read.Image.Visibility, read.Image.Owner));
        Assert.Empty(read.Image.Tags);
        Assert.Equal("mi-imagen", read.Image.Name);
    }
}
