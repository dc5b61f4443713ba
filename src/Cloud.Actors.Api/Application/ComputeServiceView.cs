using System.Security.Cryptography;
using System.Text;

namespace Cloud.Actors.Api.Application;

/// <summary>
/// One row of Nova's service list: the nova-scheduler of the controller (zone "internal") or the nova-compute of
/// a host (its availability zone). Up means the service is heard from; Enabled means the scheduler may place
/// instances there.
/// </summary>
public sealed record ComputeServiceView(
    string Binary,
    string Host,
    string Zone,
    bool Enabled,
    string? DisabledReason,
    bool Up,
    DateTimeOffset UpdatedAt)
{
    public const string ComputeBinary = "nova-compute";
    public const string SchedulerBinary = "nova-scheduler";
    public const string InternalZone = "internal";

    /// <summary>The service's uuid (Nova's services.uuid, the id from microversion 2.53): derived from binary and host, so stable for ever.</summary>
    public string Id => IdOf(Binary, Host);

    public static string IdOf(string binary, string host) =>
        new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"{binary}@{host}"))).ToString();
}
