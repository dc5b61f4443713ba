using Akka.Actor;
using Akka.Persistence;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Controller.Catalog;

/// <summary>
/// Flavors, images, key pairs and networks, durable in the controller's journal (persistence id "catalog").
/// Seeded once with Nova's classic five flavors, the cirros image and the privada network.
/// </summary>
public sealed class CatalogActor : ReceivePersistentActor
{
    private readonly List<Flavor> _flavors = [];
    private readonly Dictionary<string, Image> _images = new(StringComparer.Ordinal);
    private readonly Dictionary<(string User, string Name), KeyPair> _keyPairs = new();
    private readonly List<Domain.Catalog.Network> _networks = [];
    private bool _seeded;
    private CatalogView? _view;

    public CatalogActor()
    {
        Recover<ICatalogEvent>(Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            if (_seeded) return;
            Persist(new CatalogSeeded([.. Flavor.Classic], [Image.Cirros(DateTimeOffset.UtcNow)], [Domain.Catalog.Network.Privada]), Apply);
        });

        Command<GetCatalog>(_ => Sender.Tell(View()));
        Command<AddKeyPair>(add =>
        {
            if (_keyPairs.ContainsKey((add.KeyPair.UserId, add.KeyPair.Name)))
            {
                Sender.Tell(new CatalogRejected($"Key pair '{add.KeyPair.Name}' already exists.", 409));
                return;
            }
            Change(new KeyPairAdded(add.KeyPair));
        });
        Command<DeleteKeyPair>(delete =>
        {
            if (!_keyPairs.ContainsKey((delete.UserId, delete.Name)))
            {
                Sender.Tell(new CatalogRejected($"Keypair {delete.Name} not found for user {delete.UserId}", 404));
                return;
            }
            Change(new KeyPairDeleted(delete.Name, delete.UserId));
        });
        Command<RegisterImage>(r => Change(new ImageRegistered(r.Image)));
        Command<CreateImage>(c =>
        {
            if (_images.ContainsKey(c.Image.Id))
                Sender.Tell(new CatalogRejected($"Image with identifier {c.Image.Id} already exists!", 409));
            else
                Change(new ImageRegistered(c.Image));
        });
        Command<UpdateImage>(u =>
        {
            if (!_images.TryGetValue(u.Image.Id, out var current))
                Sender.Tell(new CatalogRejected($"No image found with ID {u.Image.Id}", 404));
            else if (current.Status != u.Expected.Status)
                Sender.Tell(new CatalogRejected($"Image status transition from {current.Status} to {u.Image.Status} is not allowed", 409));
            else if (!current.SameContentAs(u.Expected))
                Sender.Tell(new CatalogRejected($"Image {current.Id} was changed by another request meanwhile; read it again", 409));
            else
                Change(new ImageRegistered(u.Image));
        });
        Command<DeleteImage>(d =>
        {
            if (!_images.ContainsKey(d.ImageId))
                Sender.Tell(new CatalogRejected($"No image found with ID {d.ImageId}", 404));
            else
                Change(new ImageDeleted(d.ImageId));
        });
        Command<CreateNetwork>(c =>
        {
            if (!Domain.Catalog.Network.IsValidCidr(c.Network.Cidr))
                Sender.Tell(new CatalogRejected($"Invalid input for cidr: '{c.Network.Cidr}' is not an IPv4 CIDR between /8 and /30.", 400));
            else if (_networks.Any(n => n.Id == c.Network.Id || n.Name == c.Network.Name))
                Sender.Tell(new CatalogRejected($"Network '{c.Network.Name}' already exists.", 409));
            else
                Change(new NetworkCreated(c.Network));
        });
    }

    public override string PersistenceId => "catalog";

    public static Props Props() => Akka.Actor.Props.Create(() => new CatalogActor());

    private void Change(ICatalogEvent e)
    {
        var requester = Sender;
        Persist(e, evt =>
        {
            Apply(evt);
            requester.Tell(new CatalogChanged(View()));
        });
    }

    private void Apply(ICatalogEvent e)
    {
        switch (e)
        {
            case CatalogSeeded s:
                _flavors.AddRange(s.Flavors);
                foreach (var i in s.Images) _images[i.Id] = i;
                _networks.AddRange(s.Networks);
                _seeded = true;
                break;
            case KeyPairAdded k: _keyPairs[(k.KeyPair.UserId, k.KeyPair.Name)] = k.KeyPair; break;
            case KeyPairDeleted k: _keyPairs.Remove((k.UserId, k.Name)); break;
            case ImageRegistered i: _images[i.Image.Id] = i.Image; break;
            case ImageDeleted i: _images.Remove(i.ImageId); break;
            case NetworkCreated n: _networks.Add(n.Network); break;
        }
        _view = null;
    }

    private CatalogView View() => _view ??= new CatalogView(
        _flavors.ToArray(),
        _images.Values.OrderBy(i => i.Name, StringComparer.Ordinal).ToArray(),
        _keyPairs.Values.OrderBy(k => k.Name, StringComparer.Ordinal).ToArray(),
        _networks.ToArray());
}
