namespace Cloud.Actors.Domain.Catalog;

/// <summary>An amount of host resources: what a flavor asks for, what a host has or has used.</summary>
public readonly record struct Resources(int Vcpus, long MemoryMb, long DiskGb)
{
    public static readonly Resources Zero = new(0, 0, 0);
    public static Resources operator +(Resources a, Resources b) => new(a.Vcpus + b.Vcpus, a.MemoryMb + b.MemoryMb, a.DiskGb + b.DiskGb);
    public static Resources operator -(Resources a, Resources b) => new(a.Vcpus - b.Vcpus, a.MemoryMb - b.MemoryMb, a.DiskGb - b.DiskGb);
}
