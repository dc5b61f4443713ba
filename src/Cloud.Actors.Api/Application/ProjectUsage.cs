namespace Cloud.Actors.Api.Application;

/// <summary>A project's consumption, as Nova's limits report it (totalInstancesUsed, totalCoresUsed, totalRAMUsed).</summary>
public sealed record ProjectUsage(int Instances, int Cores, long RamMb, int KeyPairs);
