using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>
/// A cluster of real guests: the libvirt driver on the host's qemu:///system (TCG where there is no KVM), state in
/// .cluster-guests/, remoting ports 14053+, shell ports 19110+, API 19500+. Every port stays below Linux's ephemeral
/// range (32768-60999): a CI run once lost the controller's image API port to the source port of some outgoing
/// connection. Its instance numbers start at 0x100000 so its domains never share a name with those of a developer's
/// cluster on the same libvirtd.
/// </summary>
public sealed class GuestCluster() : TestCluster(".cluster-guests", remotingBasePort: 14053, shellBasePort: 19110, managementBasePort: 18558, driver: "libvirt",
    firstInstanceNumber: 0x100000)
{
    public const string LibvirtUri = "qemu:///system";

    /// <summary>A TCG guest takes seconds to reach its login prompt, more with two booting on two cores.</summary>
    public static readonly TimeSpan GuestBootTimeout = TimeSpan.FromSeconds(120);

    public string InstancesOf(string host) => Path.Combine(StateDirectory, host, "instances");

    /// <summary>Nova's image cache file name: the sha1 of the image id.</summary>
    public static string CacheName(string imageId) =>
        Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(imageId))).ToLowerInvariant();

    /// <summary>`virsh list --all --name`.</summary>
    public static async Task<IReadOnlyList<string>> DomainsAsync() =>
        (await Tool("virsh", "-q", "-c", LibvirtUri, "list", "--all", "--name"))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>`virsh domiflist NAME`: interface, type, source, model, MAC per line.</summary>
    public static Task<string> DomIfListAsync(string name) => Tool("virsh", "-q", "-c", LibvirtUri, "domiflist", name);

    /// <summary>The id of the port a boot made for an instance's n-th NIC (PortIds.ForInstance).</summary>
    public static string PortOf(string instanceId, int nic) =>
        new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"port/{Guid.Parse(instanceId)}/{nic}"))).ToString();

    /// <summary>Whether a network device of that name exists on this machine.</summary>
    public static bool DeviceExists(string name) => Directory.Exists($"/sys/class/net/{name}");

    /// <summary>`ip -d link show dev DEVICE` in the network namespace of a node's process (up --netns); null when it has none.</summary>
    public async Task<string?> NodeLinkAsync(string node, string device)
    {
        var (code, output) = await TryTool("nsenter", "--target", NodePid(node).ToString(), "--net", "ip", "-d", "link", "show", "dev", device);
        return code == 0 ? output : null;
    }

    /// <summary>`virsh domstate NAME`: running, shut off ...; null when no such domain.</summary>
    public static async Task<string?> DomainStateAsync(string name)
    {
        var (code, output) = await TryTool("virsh", "-q", "-c", LibvirtUri, "domstate", name);
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>Whether libvirt holds a managed save image of the domain (`virsh dominfo`'s "Managed save: yes").</summary>
    public static async Task<bool> HasManagedSaveAsync(string name) =>
        (await Tool("virsh", "-q", "-c", LibvirtUri, "dominfo", name))
        .Split('\n').Any(line => line.StartsWith("Managed save:", StringComparison.Ordinal) && line.TrimEnd().EndsWith("yes", StringComparison.Ordinal));

    /// <summary>The domains of this cluster: those whose files are under its state directory.</summary>
    public async Task<IReadOnlyList<string>> OwnDomainsAsync()
    {
        var own = new List<string>();
        foreach (var name in await DomainsAsync())
        {
            var (code, xml) = await TryTool("virsh", "-q", "-c", LibvirtUri, "dumpxml", "--inactive", name);
            if (code == 0 && xml.Contains(StateDirectory + "/", StringComparison.Ordinal)) own.Add(name);
        }
        return own;
    }

    /// <summary>`qemu-img info -U --output=json` (-U: the running guest holds the image's lock).</summary>
    public static async Task<JsonElement> ImageInfoAsync(string path) =>
        JsonDocument.Parse(await Tool("qemu-img", "info", "-U", "--output=json", path)).RootElement;

    /// <summary>Waits until the file exists and holds <paramref name="text"/>; returns its content.</summary>
    public async Task<string> WaitForTextAsync(string path, string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var content = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            if (content.Contains(text, StringComparison.Ordinal)) return content;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"'{text}' not in {path} after {timeout.TotalSeconds}s; it holds:\n{content}\n{LogTails(30)}");
            await Task.Delay(500);
        }
    }

    public async Task WaitForDomainStateAsync(string name, string? state, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string? last;
        while ((last = await DomainStateAsync(name)) != state)
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"{name} is '{last ?? "undefined"}', not '{state ?? "undefined"}', after {timeout.TotalSeconds}s");
            await Task.Delay(250);
        }
    }

    private static async Task<string> Tool(string tool, params string[] arguments)
    {
        var (code, output) = await TryTool(tool, arguments);
        if (code != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited {code}: {output}");
        return output;
    }

    private static async Task<(int Code, string Output)> TryTool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}

/// <summary>The real-guest tests: one cluster of libvirt computes, one test at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GuestCollection : ICollectionFixture<GuestCluster>
{
    public const string Name = "real guests through cluster.sh";
}
