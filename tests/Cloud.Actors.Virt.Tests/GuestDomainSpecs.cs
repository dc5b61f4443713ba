using Cloud.Actors.Virt.Libvirt;
using Cloud.Actors.Virt.Networking;

namespace Cloud.Actors.Virt.Tests;

public sealed class GuestDomainSpecs
{
    [Fact]
    public void A_guests_nics_become_the_seeds_bridge_interfaces_named_after_their_ports()
    {
        var domain = new GuestDomain(new LibvirtOptions { Uri = "test:///default", InstancesPath = "/tmp", VirtType = DomainType.Qemu });
        var disks = new GuestDisks("/tmp/i/disk", null, "/tmp/i/console.log");
        var guest = new GuestDefinition("instance-0000001c", Guid.NewGuid(), "test2.novalocal", 512, 1, 1, disks,
            [
                new GuestNic("d440070c-5a3e-4b8a-9a0e-0e7e2b1c3d4f", "net-1", "fa:16:3e:a0:07:c9"),
                new GuestNic("0f1e2d3c-4b5a-4968-8776-655443322110", "net-2", "fa:16:3e:00:00:02"),
            ]);

        var interfaces = domain.ConfigFor(guest).Interfaces;

        Assert.Equal(
            [new GuestInterface("fa:16:3e:a0:07:c9", "qbrd440070c-5a", "tapd440070c-5a"), new GuestInterface("fa:16:3e:00:00:02", "qbr0f1e2d3c-4b", "tap0f1e2d3c-4b")],
            interfaces);
    }
}
