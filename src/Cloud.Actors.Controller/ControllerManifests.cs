using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Controller.Network;
using Cloud.Actors.Domain.Serialization;

namespace Cloud.Actors.Controller;

/// <summary>
/// The manifests of what the controller journals: the directory's events and snapshot (persistence id
/// <c>directory</c>), the catalog's events (<c>catalog</c>) and the network service's events and snapshot (<c>network</c>). A manifest, once released, never changes. The second
/// string of a directory type is what release 064f270 and earlier wrote (its CLR name then). The catalog's events had
/// no binding then: their rows carry Newtonsoft's serializer id and are read by it, with the CLR type names it
/// embedded.
/// </summary>
public sealed class ControllerManifests : ManifestTable
{
    public ControllerManifests()
    {
        // directory
        Add<InstanceRequested>("dir-requested", "Cloud.Actors.Controller.Directory.InstanceRequested, Cloud.Actors.Controller");
        Add<InstanceRecorded>("dir-recorded", "Cloud.Actors.Controller.Directory.InstanceRecorded, Cloud.Actors.Controller");
        Add<InstanceRemoved>("dir-removed", "Cloud.Actors.Controller.Directory.InstanceRemoved, Cloud.Actors.Controller");
        Add<InstanceActionQueued>("dir-action-queued");
        Add<QueuedActionDelivered>("dir-action-delivered");
        Add<DirectorySnapshot>("dir-snapshot", "Cloud.Actors.Controller.Directory.DirectorySnapshot, Cloud.Actors.Controller");

        // catalog
        Add<CatalogSeeded>("catalog-seeded");
        Add<KeyPairAdded>("catalog-key-pair-added");
        Add<KeyPairDeleted>("catalog-key-pair-deleted");
        Add<ImageRegistered>("catalog-image-registered");
        Add<ImageDeleted>("catalog-image-deleted");
        Add<Catalog.NetworkCreated>("catalog-network-created");

        // network
        Add<VirtualNetworkCreated>("net-network-created");
        Add<VirtualNetworkDeleted>("net-network-deleted");
        Add<NetworkSegmentAllocated>("net-segment-allocated");
        Add<SubnetCreated>("net-subnet-created");
        Add<SubnetDeleted>("net-subnet-deleted");
        Add<PortCreated>("net-port-created");
        Add<PortBound>("net-port-bound");
        Add<PortUnbound>("net-port-unbound");
        Add<PortDeleted>("net-port-deleted");
        Add<DevicesReleased>("net-devices-released");
        Add<NetworkSnapshot>("net-snapshot");
    }
}
