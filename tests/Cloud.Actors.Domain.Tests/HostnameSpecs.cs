using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;

namespace Cloud.Actors.Domain.Tests;

/// <summary>The guest hostname follows Nova's sanitize_hostname (latin-1 letters kept, as Python's \w keeps them).</summary>
public sealed class HostnameSpecs
{
    private static readonly Guid Id = Guid.Parse("f69ab4d9-ed28-406e-8a78-67f62a5e4bc2");

    private static InstanceSpec Named(string name) => new(Id, 1, name, "p", "u", Flavor.Classic[0],
        new InstanceImage("i", "cirros", new Dictionary<string, string>()), null, null, [], "nova", 0, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("test2", "test2")]
    [InlineData("Mi Servidor_1.web", "mi-servidor-1-web")]
    [InlineData("<b>&\"'", "b")]
    [InlineData("prueba-ñ", "prueba-ñ")]
    [InlineData("web#01!", "web01")]
    [InlineData("--edge--", "edge")]
    public void A_display_name_becomes_a_valid_hostname(string name, string hostname) =>
        Assert.Equal(hostname, InstanceNaming.Hostname(Named(name)));

    [Fact]
    public void A_name_with_nothing_usable_becomes_server_and_the_uuid() =>
        Assert.Equal($"Server-{Id}", InstanceNaming.Hostname(Named("實例")));

    [Fact]
    public void A_hostname_is_at_most_63_characters() =>
        Assert.Equal(63, InstanceNaming.Hostname(Named(new string('a', 100))).Length);
}
