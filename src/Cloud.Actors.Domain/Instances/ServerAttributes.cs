namespace Cloud.Actors.Domain.Instances;

/// <summary>
/// What a user gives a server at boot beyond how it is built, kept and shown as given (Nova's server fields of the
/// same names): its metadata (key to value), the access addresses it says it is reached at, its description (from
/// 2.19), the security groups it was asked into, and its disk config (Nova's OS-DCF:diskConfig, MANUAL or AUTO: whether
/// the guest grows its root file system to its disk, which cloud-init does here anyway; null is MANUAL). Null in specs
/// accepted before these were kept: all empty.
/// </summary>
public sealed record ServerAttributes(
    IReadOnlyDictionary<string, string> Metadata,
    string? AccessIPv4 = null,
    string? AccessIPv6 = null,
    string? Description = null,
    IReadOnlyList<string>? SecurityGroups = null,
    string? DiskConfig = null)
{
    public static readonly ServerAttributes None = new(new Dictionary<string, string>());
}
