using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Scheduler.Filters;

namespace Cloud.Actors.Scheduler.Tests;

/// <summary>Each filter alone, at its boundary, with Nova's default ratios (RAM 1.5, disk 1.0, CPU 16.0).</summary>
public class FilterSpecs
{
    private static readonly AllocationRatios Ratios = AllocationRatios.Default;

    [Fact]
    public void Default_ratios_are_novas()
    {
        Assert.Equal(new AllocationRatios(16.0, 1.5, 1.0), AllocationRatios.Default);
    }

    // RamFilter: a 1024 MB host offers 1536 MB.
    [Theory]
    [InlineData(0, 1536, true)]
    [InlineData(0, 1537, false)]
    [InlineData(512, 1024, true)]
    [InlineData(512, 1025, false)]
    [InlineData(1536, 1, false)]
    public void Ram_filter_counts_the_ram_allocation_ratio(long usedMb, long requestedMb, bool passes)
    {
        var host = Given.Candidate(Given.Host("h", memoryMb: 1024), new Resources(0, usedMb, 0));

        Assert.Equal(passes, new RamFilter(Ratios).Passes(host, Given.Request(memoryMb: requestedMb)));
    }

    // DiskFilter: a 10 GB host offers 10 GB.
    [Theory]
    [InlineData(0, 10, true)]
    [InlineData(0, 11, false)]
    [InlineData(4, 6, true)]
    [InlineData(4, 7, false)]
    public void Disk_filter_does_not_overcommit_disk(long usedGb, long requestedGb, bool passes)
    {
        var host = Given.Candidate(Given.Host("h", diskGb: 10), new Resources(0, 0, usedGb));

        Assert.Equal(passes, new DiskFilter(Ratios).Passes(host, Given.Request(diskGb: requestedGb)));
    }

    // CoreFilter: a 2 vCPU host offers 32 vCPUs.
    [Theory]
    [InlineData(0, 32, true)]
    [InlineData(0, 33, false)]
    [InlineData(30, 2, true)]
    [InlineData(30, 3, false)]
    public void Core_filter_counts_the_cpu_allocation_ratio(int usedVcpus, int requestedVcpus, bool passes)
    {
        var host = Given.Candidate(Given.Host("h", vcpus: 2), new Resources(usedVcpus, 0, 0));

        Assert.Equal(passes, new CoreFilter(Ratios).Passes(host, Given.Request(vcpus: requestedVcpus)));
    }

    [Fact]
    public void Ram_filter_uses_the_configured_ratio()
    {
        var host = Given.Candidate(Given.Host("h", memoryMb: 1024));

        Assert.False(new RamFilter(new AllocationRatios(Ram: 1.0)).Passes(host, Given.Request(memoryMb: 1025)));
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, false, false)]
    [InlineData(false, false, false)]
    public void Compute_filter_passes_only_hosts_up_and_enabled(bool up, bool enabled, bool passes)
    {
        var host = Given.Candidate(Given.Host("h", enabled: enabled), up: up);

        Assert.Equal(passes, new ComputeFilter().Passes(host, Given.Request()));
    }

    [Theory]
    [InlineData(null, "nova", true)]
    [InlineData("", "nova", true)]
    [InlineData("nova", "nova", true)]
    [InlineData("az2", "nova", false)]
    [InlineData("Nova", "nova", false)]
    public void Availability_zone_filter_matches_the_requested_zone(string? requested, string hostZone, bool passes)
    {
        var host = Given.Candidate(Given.Host("h", zone: hostZone));

        Assert.Equal(passes, new AvailabilityZoneFilter().Passes(host, Given.Request(zone: requested)));
    }

    [Fact]
    public void Image_properties_filter_passes_an_image_without_requirements()
    {
        var host = Given.Candidate(Given.Host("h"));

        Assert.True(new ImagePropertiesFilter().Passes(host, Given.Request()));
    }

    [Theory]
    [InlineData("hw_architecture", "x86_64", true)]
    [InlineData("architecture", "x86_64", true)]
    [InlineData("hw_architecture", "X86_64", true)]
    [InlineData("hw_architecture", "aarch64", false)]
    [InlineData("img_hv_type", "qemu", true)]
    [InlineData("hypervisor_type", "QEMU", true)]
    [InlineData("img_hv_type", "xen", false)]
    [InlineData("hw_vm_mode", "hvm", true)]
    [InlineData("vm_mode", "xen", false)]
    public void Image_properties_filter_compares_with_what_the_host_supports(string imageProperty, string value, bool passes)
    {
        var host = Given.Candidate(Given.Host("h", properties: Given.Props(
            ("architecture", "x86_64"), ("hypervisor_type", "qemu"), ("vm_mode", "hvm"))));

        var request = Given.Request(imageProperties: Given.Props((imageProperty, value)));

        Assert.Equal(passes, new ImagePropertiesFilter().Passes(host, request));
    }

    [Fact]
    public void Image_properties_filter_rejects_a_host_that_does_not_state_the_property()
    {
        var host = Given.Candidate(Given.Host("h"));

        Assert.False(new ImagePropertiesFilter().Passes(host, Given.Request(imageProperties: Given.Props(("hw_architecture", "x86_64")))));
    }

    [Fact]
    public void Image_properties_filter_prefers_the_new_property_name_over_the_old()
    {
        var host = Given.Candidate(Given.Host("h", properties: Given.Props(("architecture", "x86_64"))));
        var request = Given.Request(imageProperties: Given.Props(("hw_architecture", "x86_64"), ("architecture", "aarch64")));

        Assert.True(new ImagePropertiesFilter().Passes(host, request));
    }

    [Fact]
    public void Image_properties_filter_ignores_properties_it_does_not_know()
    {
        var host = Given.Candidate(Given.Host("h"));

        Assert.True(new ImagePropertiesFilter().Passes(host, Given.Request(imageProperties: Given.Props(("os_distro", "cirros")))));
    }
}
