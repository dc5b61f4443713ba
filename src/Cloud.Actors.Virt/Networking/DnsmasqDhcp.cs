using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloud.Actors.Domain.Networking;
using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// Neutron's DHCP agent with its dnsmasq driver: per network a namespace qdhcp-&lt;network id&gt;, joined to the
/// network's bridge brq… on this node (which reaches the network's compute hosts through its VXLAN device, see
/// <see cref="NetworkBridges"/>) by a veth pair (tap… on the host, ns-… inside), which holds each subnet's gateway address and
/// 169.254.169.254, and one dnsmasq in it that gives each port's MAC its fixed IP and nothing to anyone else
/// (static leases only). Its host and option files live in &lt;run dir&gt;/&lt;network id&gt;/; a change of them is
/// read by dnsmasq on SIGHUP, a dnsmasq that died is started again.
/// <para>No address of these namespaces is routed to or from the machine's own interfaces: a guest network reaches
/// its DHCP server, its gateway address and the metadata service, nothing else.</para>
/// </summary>
public sealed class DnsmasqDhcp(string runDirectory, NetworkBridges bridges) : IDhcpDriver
{
    public const string MetadataAddress = "169.254.169.254";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly NetNamespace _own = bridges.Namespace;

    public string RunDirectory { get; } = Path.GetFullPath(runDirectory);

    /// <summary>The network's namespace end (ns-…) and the host end (tap…) of its DHCP server's veth pair.</summary>
    public static (string Inside, string Outside) Devices(string networkId)
    {
        var port = DhcpPortId(networkId);
        return ("ns-" + port[..11], VifNames.Tap(port));
    }

    /// <summary>The id Neutron would give the network's DHCP port; fixed per network, so every agent names its devices alike.</summary>
    public static string DhcpPortId(string networkId) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"dhcp/{networkId}"))).ToString();

    /// <summary>What the last complete sync made, so an unchanged pass only checks that each dnsmasq still runs.</summary>
    private string? _applied;

    public async Task SyncAsync(IReadOnlyList<DhcpNetwork> networks, CancellationToken ct = default)
    {
        var wanted = Fingerprint(networks);
        if (wanted == _applied && networks.All(n => RunningPid(Path.Combine(RunDirectory, n.NetworkId)) is not null
                                                    && NetNamespace.NamedExists(VifNames.DhcpNamespace(n.NetworkId))
                                                    && Directory.Exists(Path.Combine("/sys/class/net", Devices(n.NetworkId).Outside)))) return;
        _applied = null;
        Directory.CreateDirectory(RunDirectory);
        // A network that cannot be served (its tunnel refused, say) keeps none of the others from being served.
        var failures = new List<string>();
        foreach (var network in networks)
        {
            try
            {
                await EnsureAsync(network, ct);
            }
            catch (VifException e)
            {
                failures.Add($"network {network.NetworkId}: {e.Message.Trim()}");
            }
        }
        var served = networks.Select(n => n.NetworkId).ToHashSet(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(RunDirectory))
        {
            var networkId = Path.GetFileName(directory);
            if (!served.Contains(networkId)) await RemoveAsync(networkId, ct);
        }
        if (failures.Count > 0) throw new VifException(string.Join("; ", failures));
        _applied = wanted;
    }

    private static string Fingerprint(IReadOnlyList<DhcpNetwork> networks) =>
        string.Join('\n', networks.OrderBy(n => n.NetworkId, StringComparer.Ordinal).Select(n =>
            $"{n.NetworkId}|{n.SegmentationId}|{string.Join(';', n.Subnets.Select(s => $"{s.Id},{s.Cidr},{s.GatewayIp},{string.Join(' ', s.DnsServers)}"))}|"
            + string.Join(';', n.Hosts.Select(h => $"{h.MacAddress},{h.IpAddress},{h.Hostname}").Order(StringComparer.Ordinal))));

    private async Task EnsureAsync(DhcpNetwork network, CancellationToken ct)
    {
        var ns = VifNames.DhcpNamespace(network.NetworkId);
        var (inside, outside) = Devices(network.NetworkId);
        var files = Path.Combine(RunDirectory, network.NetworkId);
        Directory.CreateDirectory(files);

        if (!NetNamespace.NamedExists(ns))
        {
            await _own.Ip(ct, "netns", "add", ns);
            await _own.Ip(ct, "-n", ns, "link", "set", "dev", "lo", "up");
        }
        // The pair is made again when its outer end is gone (with another controller's namespace, after a hand-over of
        // the agent between controllers in namespaces of their own): the inner end left behind goes first, and the
        // dnsmasq bound to it starts again on the new one.
        var remade = false;
        if (!await _own.ExistsAsync(outside, ct))
        {
            if (await new NetNamespace(ns).ExistsAsync(inside, ct)) await _own.Ip(ct, "-n", ns, "link", "del", "dev", inside);
            await _own.Ip(ct, "link", "add", "name", outside, "type", "veth", "peer", "name", inside, "netns", ns);
            remade = true;
        }
        await bridges.AttachAsync(network.NetworkId, network.SegmentationId, outside, ct);
        await _own.Ip(ct, "-n", ns, "link", "set", "dev", inside, "address", Mac(network.NetworkId), "up");
        foreach (var subnet in network.Subnets)
        {
            var (_, prefix) = Cidr(subnet.Cidr);
            await _own.Ip(ct, "-n", ns, "addr", "replace", $"{subnet.GatewayIp}/{prefix}", "dev", inside);
        }
        await _own.Ip(ct, "-n", ns, "addr", "replace", $"{MetadataAddress}/32", "dev", inside);

        var hosts = string.Concat(network.Hosts.OrderBy(h => h.IpAddress, StringComparer.Ordinal)
            .Select(h => $"{h.MacAddress},{h.Hostname},{h.IpAddress}\n"));
        var options = string.Concat(network.Subnets.Select(s =>
            $"tag:{Tag(s)},option:router,{s.GatewayIp}\n" + (s.DnsServers.Count > 0 ? $"tag:{Tag(s)},option:dns-server,{string.Join(',', s.DnsServers)}\n" : "")));
        var changed = await WriteIfChanged(Path.Combine(files, "host"), hosts, ct) | await WriteIfChanged(Path.Combine(files, "opts"), options, ct);
        var ranges = string.Join('\n', network.Subnets.Select(s => s.Cidr));
        var rangesChanged = await WriteIfChanged(Path.Combine(files, "subnets"), ranges, ct);

        var pid = RunningPid(files);
        if (pid is not null && (rangesChanged || remade))
        {
            // A subnet came or went (dnsmasq reads its ranges only at start), or its interface was made again.
            Kill(pid.Value);
            pid = null;
        }
        if (pid is { } running)
        {
            if (changed) Signal(running, "HUP");
            return;
        }
        await StartDnsmasq(network, ns, inside, files, ct);
    }

    private async Task StartDnsmasq(DhcpNetwork network, string ns, string inside, string files, CancellationToken ct)
    {
        // A dnsmasq of this namespace that is not ours (its pid file gone with a purged state directory) holds the
        // DHCP port: it goes first.
        foreach (var line in (await _own.Ip(ct, "netns", "pids", ns)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (int.TryParse(line, CultureInfo.InvariantCulture, out var stray) && IsDnsmasq(stray)) Kill(stray);
        var arguments = new List<string>
        {
            "netns", "exec", ns, "dnsmasq",
            "--conf-file=/dev/null", "--no-hosts", "--no-resolv", "--port=0", "--leasefile-ro", "--dhcp-authoritative",
            // It re-reads the host file on SIGHUP: as nobody (its default) it could not under a state directory in /root.
            "--user=root",
            "--bind-interfaces", $"--interface={inside}", "--except-interface=lo",
            $"--pid-file={Path.Combine(files, "pid")}",
            $"--dhcp-hostsfile={Path.Combine(files, "host")}",
            $"--dhcp-optsfile={Path.Combine(files, "opts")}",
            $"--log-facility={Path.Combine(files, "dnsmasq.log")}", "--log-dhcp",
        };
        foreach (var subnet in network.Subnets)
        {
            var (start, prefix) = Cidr(subnet.Cidr);
            arguments.Add($"--dhcp-range=set:{Tag(subnet)},{Ipv4.Text(start)},static,{Ipv4.Text(Ipv4.Mask(prefix))},86400s");
        }
        try
        {
            // dnsmasq forks into the background once its sockets are bound; the parent's exit is the answer.
            await ExternalCommand.RunAsync("ip", arguments, CommandTimeout, ct);
        }
        catch (ImageToolException e)
        {
            throw new VifException($"dnsmasq for network {network.NetworkId} did not start: {e.Message}", e);
        }
    }

    private async Task RemoveAsync(string networkId, CancellationToken ct)
    {
        var files = Path.Combine(RunDirectory, networkId);
        if (RunningPid(files) is { } pid) Kill(pid);
        var (_, outside) = Devices(networkId);
        var bridge = await _own.MasterAsync(outside, ct) ?? VifNames.NetworkBridge(networkId);
        if (await _own.ExistsAsync(outside, ct)) await _own.Ip(ct, "link", "del", "dev", outside);
        var ns = VifNames.DhcpNamespace(networkId);
        if (NetNamespace.NamedExists(ns)) await _own.Ip(ct, "netns", "del", ns);
        await bridges.RemoveIfUnusedAsync(bridge, ct);
        Directory.Delete(files, recursive: true);
    }

    /// <summary>The dnsmasq of this network's pid file, when it still runs.</summary>
    private static int? RunningPid(string files)
    {
        var pidFile = Path.Combine(files, "pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid)) return null;
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.StartsWith("dnsmasq\0", StringComparison.Ordinal) && cmdline.Contains(pidFile, StringComparison.Ordinal) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsDnsmasq(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "dnsmasq" && IsAlive(pid);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    private static void Kill(int pid)
    {
        Signal(pid, "TERM");
        for (var i = 0; i < 50 && IsAlive(pid); i++) Thread.Sleep(20);
    }

    /// <summary>
    /// The process runs: it exists and is not a zombie. A daemon's parent is PID 1, which in a container may never reap
    /// it, so a dead dnsmasq can stay listed for good.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // pid (comm) STATE ...: the state follows the last ')' (comm may hold spaces or parentheses).
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> WriteIfChanged(string path, string content, CancellationToken ct)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path, ct) == content) return false;
        await File.WriteAllTextAsync(path + ".tmp", content, ct);
        File.Move(path + ".tmp", path, overwrite: true);
        return true;
    }

    private static string Tag(DhcpSubnet subnet) => "subnet-" + subnet.Id;

    /// <summary>A subnet's network address and prefix length (the agent is given only subnets the network service checked).</summary>
    private static (uint Base, int Prefix) Cidr(string cidr) =>
        Ipv4.ParseCidr(cidr, out var error) ?? throw new ArgumentException($"subnet {cidr}: {error}", nameof(cidr));

    private static string Mac(string networkId)
    {
        var bytes = MD5.HashData(Encoding.UTF8.GetBytes($"dhcp-mac/{networkId}"));
        return $"fa:16:3e:{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}";
    }
}

/// <summary>The DHCP servers of the networks a network node serves (Neutron's DHCP agent driver).</summary>
public interface IDhcpDriver
{
    /// <summary>Makes every network of <paramref name="networks"/> served as given, and stops serving any other.</summary>
    Task SyncAsync(IReadOnlyList<DhcpNetwork> networks, CancellationToken ct = default);
}
