using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Scheduler.Filters;

namespace Cloud.Actors.Scheduler.Tests;

public class HostSelectorSpecs
{
    private readonly HostSelector _selector = new(AllocationRatios.Default);

    [Fact]
    public void Filters_run_in_novas_order()
    {
        Assert.Equal(
            ["ComputeFilter", "AvailabilityZoneFilter", "RamFilter", "DiskFilter", "CoreFilter", "ImagePropertiesFilter"],
            _selector.Filters.Select(f => f.Name));
    }

    [Fact]
    public void Host_with_most_free_ram_is_chosen()
    {
        var selection = _selector.Select(
        [
            Given.Candidate(Given.Host("a", memoryMb: 2048), new Resources(0, 1024, 0)),
            Given.Candidate(Given.Host("b", memoryMb: 2048)),
            Given.Candidate(Given.Host("c", memoryMb: 2048), new Resources(0, 512, 0)),
        ], Given.Request());

        Assert.Null(selection.Reason);
        Assert.Equal("b", selection.Best!.Host);
        Assert.Equal(["c", "a"], selection.Alternates);
    }

    [Fact]
    public void Equal_hosts_are_ordered_by_name()
    {
        var selection = _selector.Select(
            [Given.Candidate(Given.Host("c")), Given.Candidate(Given.Host("a")), Given.Candidate(Given.Host("b"))],
            Given.Request());

        Assert.Equal(["a", "b", "c"], selection.Ranked.Select(h => h.Host));
    }

    [Fact]
    public void At_most_two_alternates_are_returned()
    {
        var hosts = Enumerable.Range(1, 5).Select(i => Given.Candidate(Given.Host($"h{i}"))).ToList();

        var selection = _selector.Select(hosts, Given.Request());

        Assert.Equal(3, selection.Ranked.Count);
        Assert.Equal(["h2", "h3"], selection.Alternates);
    }

    [Fact]
    public void The_best_three_are_found_whatever_order_the_hosts_come_in()
    {
        // Free RAM grows with the number, and equal hosts are ordered by name: h6, then h5 and h4x before h4y.
        var hosts = new[] { "h1", "h4y", "h2", "h6", "h3", "h4x", "h5" }
            .Select(n => Given.Candidate(Given.Host(n, memoryMb: 1024 * int.Parse(n[1..2])))).ToList();

        Assert.Equal(["h6", "h5", "h4x"], _selector.Select(hosts, Given.Request()).Ranked.Select(h => h.Host));
        hosts.Reverse();
        Assert.Equal(["h6", "h5", "h4x"], _selector.Select(hosts, Given.Request()).Ranked.Select(h => h.Host));
    }

    [Fact]
    public void Reason_names_the_latest_filter_a_host_reached_whatever_order_the_hosts_come_in()
    {
        var selection = _selector.Select(
            [Given.Candidate(Given.Host("small", memoryMb: 512)), Given.Candidate(Given.Host("big", memoryMb: 8192), up: false)],
            Given.Request(memoryMb: 1024));

        Assert.Equal("Filter RamFilter returned 0 hosts", selection.Reason);
    }

    [Fact]
    public void Single_host_has_no_alternates()
    {
        var selection = _selector.Select([Given.Candidate(Given.Host("a"))], Given.Request());

        Assert.Equal("a", selection.Best!.Host);
        Assert.Empty(selection.Alternates);
    }

    [Fact]
    public void Excluded_hosts_are_skipped()
    {
        var selection = _selector.Select(
            [Given.Candidate(Given.Host("a", memoryMb: 4096)), Given.Candidate(Given.Host("b"))],
            Given.Request(excluded: "a"));

        Assert.Equal(["b"], selection.Ranked.Select(h => h.Host));
    }

    [Fact]
    public void All_hosts_excluded_gives_no_host_with_a_reason()
    {
        var selection = _selector.Select([Given.Candidate(Given.Host("a"))], Given.Request(excluded: "a"));

        Assert.Null(selection.Best);
        Assert.Equal("no compute hosts are registered or all were tried", selection.Reason);
    }

    [Fact]
    public void No_registered_hosts_gives_no_host_with_a_reason()
    {
        var selection = _selector.Select([], Given.Request());

        Assert.Null(selection.Best);
        Assert.Equal("no compute hosts are registered or all were tried", selection.Reason);
    }

    [Theory]
    [InlineData("ComputeFilter")]
    [InlineData("AvailabilityZoneFilter")]
    [InlineData("RamFilter")]
    [InlineData("DiskFilter")]
    [InlineData("CoreFilter")]
    [InlineData("ImagePropertiesFilter")]
    public void Reason_names_the_filter_that_returned_no_hosts(string filter)
    {
        var host = Given.Host("a", memoryMb: 1024, diskGb: 10, vcpus: 2);
        var candidate = Given.Candidate(filter == "ComputeFilter" ? host with { Enabled = false } : host);
        var request = filter switch
        {
            "AvailabilityZoneFilter" => Given.Request(zone: "elsewhere"),
            "RamFilter" => Given.Request(memoryMb: 2048),
            "DiskFilter" => Given.Request(diskGb: 11),
            "CoreFilter" => Given.Request(vcpus: 33),
            "ImagePropertiesFilter" => Given.Request(imageProperties: Given.Props(("hw_architecture", "aarch64"))),
            _ => Given.Request(),
        };

        var selection = _selector.Select([candidate], request);

        Assert.Null(selection.Best);
        Assert.Equal($"Filter {filter} returned 0 hosts", selection.Reason);
    }

    [Fact]
    public void Reason_names_the_filter_that_removed_the_last_host()
    {
        // ComputeFilter removes the down host; RamFilter removes the small one and leaves nothing.
        var selection = _selector.Select(
            [Given.Candidate(Given.Host("big", memoryMb: 8192), up: false), Given.Candidate(Given.Host("small", memoryMb: 512))],
            Given.Request(memoryMb: 1024));

        Assert.Equal("Filter RamFilter returned 0 hosts", selection.Reason);
    }

    [Fact]
    public void Hosts_failing_any_filter_are_not_ranked()
    {
        var selection = _selector.Select(
        [
            Given.Candidate(Given.Host("down", memoryMb: 8192), up: false),
            Given.Candidate(Given.Host("other-zone", memoryMb: 8192, zone: "az2")),
            Given.Candidate(Given.Host("ok")),
        ], Given.Request(zone: "nova"));

        Assert.Equal(["ok"], selection.Ranked.Select(h => h.Host));
    }
}
