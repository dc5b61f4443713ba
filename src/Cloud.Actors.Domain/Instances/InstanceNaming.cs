using System.Text;

namespace Cloud.Actors.Domain.Instances;

/// <summary>Names Nova derives from an instance: the domain name and the hostId.</summary>
public static class InstanceNaming
{
    /// <summary>instance-%08x, Nova's default instance_name_template.</summary>
    public static string DomainName(long number) => $"instance-{number:x8}";

    /// <summary>
    /// The guest's hostname, after Nova's utils.sanitize_hostname: lower case, spaces, underscores and dots
    /// become dashes, anything but ASCII letters, digits and dashes goes (a hostname is DNS-safe), at most 63 characters; a name with
    /// nothing left becomes server-&lt;uuid&gt;.
    /// </summary>
    public static string Hostname(InstanceSpec spec)
    {
        var text = new System.Text.StringBuilder();
        foreach (var c in spec.Name.ToLowerInvariant())
        {
            if (c is ' ' or '_' or '.' or '-') text.Append('-');
            else if (c is >= 'a' and <= 'z' or >= '0' and <= '9') text.Append(c);
        }
        var hostname = text.ToString().Trim('-');
        if (hostname.Length > 63) hostname = hostname[..63].TrimEnd('-');
        return hostname.Length == 0 ? $"server-{spec.Id}" : hostname;
    }

    /// <summary>Nova's hostId: sha224(project_id + host) in hex; empty when the instance has no host.</summary>
    public static string HostId(string projectId, string? host) =>
        string.IsNullOrEmpty(host) ? "" : Convert.ToHexStringLower(Sha224.Hash(Encoding.UTF8.GetBytes(projectId + host)));
}
