using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Cloud.Actors.Domain.Instances;

/// <summary>Names Nova derives from an instance: the domain name, the guest hostname and the hostId.</summary>
public static partial class InstanceNaming
{
    /// <summary>instance-%08x, Nova's default instance_name_template.</summary>
    public static string DomainName(long number) => $"instance-{number:x8}";

    public static string Hostname(InstanceSpec spec) => Hostname(spec.Name, spec.Id);

    /// <summary>
    /// Nova's utils.sanitize_hostname: a DNS label from a display name. Characters outside latin-1 are
    /// dropped, spaces, underscores and dots become dashes, anything else not a letter, digit or dash
    /// goes, lower case, at most 63 characters; an empty result becomes Server-&lt;uuid&gt; (Nova's default).
    /// </summary>
    public static string Hostname(string name, Guid id)
    {
        var latin1 = new StringBuilder(name.Length);
        foreach (var c in name) if (c <= '\u00ff') latin1.Append(c);
        var hostname = SpaceUnderscoreOrDot().Replace(latin1.ToString(), "-");
        hostname = NotHostnameCharacter().Replace(hostname, "");
        hostname = hostname.ToLowerInvariant();
        if (hostname.Length > 63) hostname = hostname[..63];
        hostname = hostname.Trim('.', '-');
        return hostname.Length > 0 ? hostname : $"Server-{id:D}";
    }

    /// <summary>Nova's hostId: sha224(project_id + host) in hex; empty when the instance has no host.</summary>
    public static string HostId(string projectId, string? host) =>
        string.IsNullOrEmpty(host) ? "" : Convert.ToHexStringLower(Sha224.Hash(Encoding.UTF8.GetBytes(projectId + host)));

    [GeneratedRegex("[ _.]")]
    private static partial Regex SpaceUnderscoreOrDot();

    // Python's \w without re.ASCII also matches latin-1 letters (é, ñ); Nova keeps those.
    [GeneratedRegex(@"[^\w-]+")]
    private static partial Regex NotHostnameCharacter();
}
