using Cloud.Actors.Api.Rest.Compute;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>The parts of Nova's server view that depend on state rather than on a live cloud: fault and progress.</summary>
public sealed class ServerViewSpecs
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-26T10:47:16Z");

    private static InstanceFound Instance(string vmState, Fault? fault = null)
    {
        var spec = new InstanceSpec(Guid.Parse("46ffe991-de04-435d-a111-b2dedb1e12c6"), 0x6c, "test2", "p", "u", Flavor.Classic[0],
            new InstanceImage(RestCloud.Cirros, "cirros", new Dictionary<string, string>()), null, null,
            [new FixedIp(RestCloud.Privada, "privada", "10.0.0.5", "fa:16:3e:00:00:01")], "nova", 0, At);
        var state = new InstanceState(spec, "compute1", vmState, null, vmState == "active" ? 1 : 0, At, null, At, fault);
        return new InstanceFound(state, "UP");
    }

    private static readonly Fault NoValidHost = new("No valid host was found. ", 500, "Traceback ...", At);

    [Fact]
    public void An_error_server_shows_its_fault_with_details_to_an_admin()
    {
        var view = new ServerView("http://x", ApiVersion.Min, admin: true).Show(Instance("error", NoValidHost));
        Assert.Equal("ERROR", view["status"]!.GetValue<string>());
        Assert.Equal(500, view["fault"]!["code"]!.GetValue<int>());
        Assert.Equal("No valid host was found. ", view["fault"]!["message"]!.GetValue<string>());
        Assert.Equal("Traceback ...", view["fault"]!["details"]!.GetValue<string>());
        Assert.Equal("2026-11-26T10:47:16Z", view["fault"]!["created"]!.GetValue<string>());
    }

    [Fact]
    public void A_member_sees_the_fault_of_a_500_without_its_details()
    {
        var view = new ServerView("http://x", ApiVersion.Min, admin: false).Show(Instance("error", NoValidHost));
        Assert.False(view["fault"]!.AsObject().ContainsKey("details"));
    }

    [Fact]
    public void An_active_server_has_no_fault_even_if_one_was_recorded()
    {
        var view = new ServerView("http://x", ApiVersion.Min, admin: true).Show(Instance("active", NoValidHost));
        Assert.False(view.ContainsKey("fault"));
    }

    [Theory]
    [InlineData("active", true)]
    [InlineData("building", true)]
    [InlineData("stopped", false)]
    [InlineData("error", false)]
    public void Progress_is_shown_only_in_novas_progress_statuses(string vmState, bool shown)
    {
        var view = new ServerView("http://x", ApiVersion.Min, admin: true).Show(Instance(vmState));
        Assert.Equal(shown, view.ContainsKey("progress"));
    }

    [Fact]
    public void Addresses_carry_version_type_and_mac_as_nova()
    {
        var view = new ServerView("http://x", ApiVersion.Min, admin: false).Show(Instance("active"));
        var address = view["addresses"]!["privada"]![0]!;
        Assert.Equal(4, address["version"]!.GetValue<int>());
        Assert.Equal("10.0.0.5", address["addr"]!.GetValue<string>());
        Assert.Equal("fixed", address["OS-EXT-IPS:type"]!.GetValue<string>());
        Assert.Equal("fa:16:3e:00:00:01", address["OS-EXT-IPS-MAC:mac_addr"]!.GetValue<string>());
    }

    [Fact]
    public void Links_point_at_the_compute_endpoint_with_and_without_the_version()
    {
        var view = new ServerView("http://127.0.0.1:8774", ApiVersion.Min, admin: false).Show(Instance("active"));
        Assert.Equal("http://127.0.0.1:8774/v2.1/servers/46ffe991-de04-435d-a111-b2dedb1e12c6", view["links"]![0]!["href"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8774/servers/46ffe991-de04-435d-a111-b2dedb1e12c6", view["links"]![1]!["href"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8774/flavors/1", view["flavor"]!["links"]![0]!["href"]!.GetValue<string>());
    }
}
