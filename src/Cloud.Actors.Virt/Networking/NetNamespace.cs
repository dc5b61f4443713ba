using System.Text.Json;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// A network namespace the plumbing works in, through iproute2's `ip` (run with an argument list): this process's own
/// (<see cref="Own"/>, whose devices sysfs shows without running anything), or another one by its name under
/// /run/netns (entered with nsenter; `ip -j link show` lists its devices). cluster.sh up --netns gives each node the
/// name of the machine's namespace (ca&lt;id&gt;-hypervisor): the machine's one libvirtd attaches a guest's tap only to
/// a bridge of its own namespace, so the port bridges are made there.
/// </summary>
public sealed record NetNamespace(string? Name)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private const string Sysfs = "/sys/class/net";

    public static readonly NetNamespace Own = new((string?)null);

    /// <summary>A device: its name, the bridge it is attached to, its alias (`ip link set ... alias`) and its MTU.</summary>
    public sealed record Link(string Device, string? Master, string? Alias, int Mtu);

    public async Task<Link?> LinkAsync(string device, CancellationToken ct = default)
    {
        if (Name is not null) return (await LinksAsync(ct)).FirstOrDefault(l => l.Device == device);
        var path = Path.Combine(Sysfs, device);
        return Directory.Exists(path) ? SysfsLink(path) : null;
    }

    public async Task<bool> ExistsAsync(string device, CancellationToken ct = default) => await LinkAsync(device, ct) is not null;

    /// <summary>The bridge a device is attached to, or null.</summary>
    public async Task<string?> MasterAsync(string device, CancellationToken ct = default) => (await LinkAsync(device, ct))?.Master;

    /// <summary>Every device of the namespace.</summary>
    public async Task<IReadOnlyList<Link>> LinksAsync(CancellationToken ct = default)
    {
        if (Name is null)
            return Directory.Exists(Sysfs) ? Directory.EnumerateFileSystemEntries(Sysfs).Select(SysfsLink).ToList() : [];
        using var json = JsonDocument.Parse(await Ip(ct, "-j", "link", "show"));
        return json.RootElement.EnumerateArray()
            .Select(l => new Link(l.GetProperty("ifname").GetString()!, Text(l, "master"), Text(l, "ifalias"),
                l.TryGetProperty("mtu", out var mtu) && mtu.TryGetInt32(out var value) ? value : 0))
            .ToList();
    }

    /// <summary>The devices attached to a bridge (none when it is gone).</summary>
    public async Task<IReadOnlyList<string>> AttachedAsync(string bridge, CancellationToken ct = default)
    {
        if (Name is not null) return (await LinksAsync(ct)).Where(l => l.Master == bridge).Select(l => l.Device).ToList();
        var ports = Path.Combine(Sysfs, bridge, "brif");
        return Directory.Exists(ports) ? Directory.EnumerateFileSystemEntries(ports).Select(p => Path.GetFileName(p)).ToList() : [];
    }

    /// <summary>Runs `ip ARGUMENTS` in the namespace; an `ip link add name X` that finds X made meanwhile (another host on this machine) succeeds.</summary>
    public async Task<string> Ip(CancellationToken ct, params string[] arguments)
    {
        try
        {
            // Another namespace through nsenter, not `ip -n`: that also mounts the namespace's sysfs over /sys, which
            // fails (busy) in a node whose /sys is its own mounted over the machine's, when NAME is the machine's.
            var run = Name is null
                ? await ExternalCommand.RunAsync("ip", arguments, CommandTimeout, ct)
                : await ExternalCommand.RunAsync("nsenter", [$"--net={Path.Combine("/run/netns", Name)}", "ip", .. arguments], CommandTimeout, ct);
            return run.StandardOutput;
        }
        catch (ImageToolException e)
        {
            if (arguments is ["link", "add", "name", var name, ..] && e.StandardError.Contains("File exists") && await ExistsAsync(name, ct)) return "";
            throw new VifException(e.Message, e);
        }
    }

    /// <summary>A bridge that is up, with no IPv6 address (the host sends nothing into a guest network).</summary>
    public async Task EnsureBridge(string name, string? alias, CancellationToken ct)
    {
        if (!await ExistsAsync(name, ct))
        {
            await Ip(ct, "link", "add", "name", name, "type", "bridge");
            // No link-local address when it comes up; another namespace's /proc/sys is not this process's to write.
            await Ip(ct, "link", "set", "dev", name, "addrgenmode", "none");
        }
        var ipv6 = $"/proc/sys/net/ipv6/conf/{name}/disable_ipv6";
        if (Name is null && File.Exists(ipv6)) await File.WriteAllTextAsync(ipv6, "1", ct);
        if (alias is not null) await Ip(ct, "link", "set", "dev", name, "alias", alias);
        await Ip(ct, "link", "set", "dev", name, "up");
    }

    /// <summary>Whether a named namespace exists (ip netns add).</summary>
    public static bool NamedExists(string name) => File.Exists(Path.Combine("/run/netns", name));

    private static Link SysfsLink(string path)
    {
        var master = new FileInfo(Path.Combine(path, "master")).LinkTarget is { } target ? Path.GetFileName(target) : null;
        var alias = ReadOrNull(Path.Combine(path, "ifalias"));
        var mtu = int.TryParse(ReadOrNull(Path.Combine(path, "mtu")), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0;
        return new Link(Path.GetFileName(path), master, alias is "" ? null : alias, mtu);
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement link, string property) =>
        link.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
