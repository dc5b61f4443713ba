using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Scheduler.Filters;
using Cloud.Actors.Scheduler.Weighers;

namespace Cloud.Actors.Scheduler.Tests;

public class RamWeigherSpecs
{
    private readonly RamWeigher _weigher = new(AllocationRatios.Default);

    [Fact]
    public void Weight_is_the_free_ram_counting_the_ratio()
    {
        var host = Given.Candidate(Given.Host("h", memoryMb: 1024), new Resources(0, 512, 0));

        Assert.Equal(1024.0, _weigher.Weigh(host));
    }

    [Fact]
    public void Host_with_more_free_ram_weighs_more()
    {
        var emptier = Given.Candidate(Given.Host("a", memoryMb: 2048), new Resources(0, 512, 0));
        var fuller = Given.Candidate(Given.Host("b", memoryMb: 2048), new Resources(0, 1024, 0));

        Assert.True(_weigher.Weigh(emptier) > _weigher.Weigh(fuller));
    }
}
