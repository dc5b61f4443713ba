namespace Cloud.Actors.Scheduler.Filters;

/// <summary>How far a host may be overcommitted, as Nova's cpu/ram/disk_allocation_ratio (defaults 16.0, 1.5, 1.0).</summary>
public sealed record AllocationRatios(double Cpu = 16.0, double Ram = 1.5, double Disk = 1.0)
{
    public static readonly AllocationRatios Default = new();
}
