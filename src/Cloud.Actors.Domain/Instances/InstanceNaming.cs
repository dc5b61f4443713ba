using System.Text;

namespace Cloud.Actors.Domain.Instances;

/// <summary>Names Nova derives from an instance: the domain name and the hostId.</summary>
public static class InstanceNaming
{
    /// <summary>instance-%08x, Nova's default instance_name_template.</summary>
    public static string DomainName(long number) => $"instance-{number:x8}";

    /// <summary>Nova's hostId: sha224(project_id + host) in hex; empty when the instance has no host.</summary>
    public static string HostId(string projectId, string? host) =>
        string.IsNullOrEmpty(host) ? "" : Convert.ToHexStringLower(Sha224.Hash(Encoding.UTF8.GetBytes(projectId + host)));
}
