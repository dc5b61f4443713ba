using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Networking;

/// <summary>iproute2's `ip`, run with an argument list, and what /sys says about the host's network devices.</summary>
internal static class IpTool
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public static bool Exists(string device) => Directory.Exists(Path.Combine("/sys/class/net", device));

    /// <summary>The bridge a device is attached to, or null.</summary>
    public static string? Master(string device) =>
        new FileInfo(Path.Combine("/sys/class/net", device, "master")).LinkTarget is { } target ? Path.GetFileName(target) : null;

    /// <summary>True when the bridge has no device attached.</summary>
    public static bool IsEmptyBridge(string bridge) => !Directory.EnumerateFileSystemEntries(Path.Combine("/sys/class/net", bridge, "brif")).Any();

    public static bool NamespaceExists(string name) => File.Exists(Path.Combine("/run/netns", name));

    /// <summary>Runs `ip ARGUMENTS`; an `ip link add name X` that finds X made meanwhile (another host on this machine) succeeds.</summary>
    public static async Task<string> Ip(CancellationToken ct, params string[] arguments)
    {
        try
        {
            return (await ExternalCommand.RunAsync("ip", arguments, CommandTimeout, ct)).StandardOutput;
        }
        catch (ImageToolException e) when (arguments is ["link", "add", "name", var name, ..] && e.StandardError.Contains("File exists") && Exists(name))
        {
            return "";
        }
        catch (ImageToolException e)
        {
            throw new VifException(e.Message, e);
        }
    }

    /// <summary>A bridge that is up, with no IPv6 link-local address (the host sends nothing into a guest network).</summary>
    public static async Task EnsureBridge(string name, string? alias, CancellationToken ct)
    {
        if (!Exists(name)) await Ip(ct, "link", "add", "name", name, "type", "bridge");
        var ipv6 = $"/proc/sys/net/ipv6/conf/{name}/disable_ipv6";
        if (File.Exists(ipv6)) await File.WriteAllTextAsync(ipv6, "1", ct);
        if (alias is not null) await Ip(ct, "link", "set", "dev", name, "alias", alias);
        await Ip(ct, "link", "set", "dev", name, "up");
    }
}
