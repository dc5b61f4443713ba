using Akka.Configuration;

namespace Cloud.Actors.Node;

/// <summary>
/// The CLOUD_ACTORS_* environment variables and the HOCON path each overrides (marked "env:" in hocon/).
/// Applied as generated HOCON in front of the files, every value JSON-quoted so nothing in it is parsed as HOCON.
/// </summary>
public static class EnvironmentOverrides
{
    public static readonly IReadOnlyList<(string Variable, string Path)> Table =
    [
        // One address for the node's network endpoints (a node on its own address: a network namespace, a machine).
        // First, so that the variables of single endpoints below win over it. Not the shell's: it has no login and
        // acts as the cloud's admin, so it stays on 127.0.0.1 unless CLOUD_ACTORS_SHELL_HOST says otherwise.
        ("CLOUD_ACTORS_ADDRESS", "akka.remote.dot-netty.tcp.hostname"),
        ("CLOUD_ACTORS_ADDRESS", "cloud-actors.management.host"),
        ("CLOUD_ACTORS_ADDRESS", "cloud-actors.api.host"),
        ("CLOUD_ACTORS_NODE", "cloud-actors.node-name"),
        ("CLOUD_ACTORS_ROLES", "cloud-actors.roles"),
        ("CLOUD_ACTORS_CONTACT_POINTS", "cloud-actors.contact-points"),
        ("CLOUD_ACTORS_MANAGEMENT_HOST", "cloud-actors.management.host"),
        ("CLOUD_ACTORS_MANAGEMENT_PORT", "cloud-actors.management.port"),
        ("CLOUD_ACTORS_STATE_DIR", "cloud-actors.state-dir"),
        ("CLOUD_ACTORS_ASK_TIMEOUT", "cloud-actors.ask-timeout"),
        ("CLOUD_ACTORS_PERSISTENCE", "cloud-actors.persistence"),
        ("CLOUD_ACTORS_SHELL_HOST", "cloud-actors.shell.host"),
        ("CLOUD_ACTORS_SHELL_PORT", "cloud-actors.shell.port"),
        ("CLOUD_ACTORS_HOSTNAME", "akka.remote.dot-netty.tcp.hostname"),
        ("CLOUD_ACTORS_PORT", "akka.remote.dot-netty.tcp.port"),
        ("CLOUD_ACTORS_DRIVER", "cloud-actors.compute.driver"),
        ("CLOUD_ACTORS_FIRST_INSTANCE_NUMBER", "cloud-actors.directory.first-instance-number"),
        ("CLOUD_ACTORS_LIBVIRT_URI", "cloud-actors.compute.libvirt.uri"),
        ("CLOUD_ACTORS_VIF_DRIVER", "cloud-actors.compute.vif-driver"),
        ("CLOUD_ACTORS_HYPERVISOR_NETNS", "cloud-actors.compute.hypervisor-netns"),
        ("CLOUD_ACTORS_VXLAN_LOCAL_IP", "cloud-actors.network.vxlan.local-ip"),
        ("CLOUD_ACTORS_INSTANCES_PATH", "cloud-actors.compute.instances-path"),
        ("CLOUD_ACTORS_VIRT_TYPE", "cloud-actors.compute.libvirt.virt-type"),
        ("CLOUD_ACTORS_FAKE_VCPUS", "cloud-actors.compute.fake.vcpus"),
        ("CLOUD_ACTORS_FAKE_MEMORY_MB", "cloud-actors.compute.fake.memory-mb"),
        ("CLOUD_ACTORS_FAKE_DISK_GB", "cloud-actors.compute.fake.disk-gb"),
        ("CLOUD_ACTORS_API_ENABLED", "cloud-actors.api.enabled"),
        ("CLOUD_ACTORS_API_HOST", "cloud-actors.api.host"),
        ("CLOUD_ACTORS_IDENTITY_PORT", "cloud-actors.api.identity-port"),
        ("CLOUD_ACTORS_COMPUTE_PORT", "cloud-actors.api.compute-port"),
        ("CLOUD_ACTORS_IMAGE_PORT", "cloud-actors.api.image-port"),
        ("CLOUD_ACTORS_NETWORK_PORT", "cloud-actors.api.network-port"),
        ("CLOUD_ACTORS_METADATA_PORT", "cloud-actors.api.metadata-port"),
        ("CLOUD_ACTORS_NETWORK_AGENT", "cloud-actors.network.agent.enabled"),
        ("CLOUD_ACTORS_DHCP_RUN_DIR", "cloud-actors.network.agent.run-dir"),
        ("CLOUD_ACTORS_METADATA_SECRET", "cloud-actors.api.metadata-proxy-shared-secret"),
        ("CLOUD_ACTORS_API_MAX_BODY_BYTES", "cloud-actors.api.max-body-bytes"),
        ("CLOUD_ACTORS_KEY_REPOSITORY", "cloud-actors.api.identity.key-repository"),
        ("CLOUD_ACTORS_API_MAX_IMAGE_BYTES", "cloud-actors.api.max-image-bytes"),
        ("CLOUD_ACTORS_POSTGRES", "akka.persistence.journal.sql.connection-string"),
        ("CLOUD_ACTORS_POSTGRES", "akka.persistence.snapshot-store.sql.connection-string"),
    ];

    public static Config From(Func<string, string?> environment)
    {
        var lines = Table
            .Select(e => (e.Path, Value: environment(e.Variable)))
            .Where(e => !string.IsNullOrEmpty(e.Value))
            .Select(e => $"{e.Path} = {System.Text.Json.JsonSerializer.Serialize(e.Value)}");
        return ConfigurationFactory.ParseString(string.Join("\n", lines));
    }
}
