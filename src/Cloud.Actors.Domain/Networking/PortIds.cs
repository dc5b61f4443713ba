using System.Security.Cryptography;
using System.Text;

namespace Cloud.Actors.Domain.Networking;

/// <summary>
/// The id of the port a boot makes for its instance's n-th NIC: derived from the instance id, so every copy of the
/// request (the API resends slow asks; a hand-over's proxy may deliver twice) names the same port, and a directory
/// that adopts the addresses of instances booted before the network service existed names them the same way.
/// </summary>
public static class PortIds
{
    public static string ForInstance(Guid instanceId, int nic) =>
        new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"port/{instanceId}/{nic}"))).ToString();
}
