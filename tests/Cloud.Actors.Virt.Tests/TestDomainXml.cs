using System.Globalization;
using System.Xml.Linq;

namespace Cloud.Actors.Virt.Tests;

/// <summary>
/// The smallest domain test:///default accepts, standing in for the real domain XML builder so the driver
/// specs test the driver alone.
/// </summary>
internal static class TestDomainXml
{
    public static string For(GuestDefinition guest) =>
        new XElement("domain", new XAttribute("type", "test"),
            new XElement("name", guest.Name),
            new XElement("uuid", guest.Uuid.ToString()),
            new XElement("memory", new XAttribute("unit", "KiB"), (guest.MemoryMb * 1024).ToString(CultureInfo.InvariantCulture)),
            new XElement("vcpu", guest.Vcpus.ToString(CultureInfo.InvariantCulture)),
            new XElement("os", new XElement("type", "hvm"))).ToString();
}
