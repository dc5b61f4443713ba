using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Libvirt;

/// <summary>
/// libvirt's last error on the calling thread (virGetLastError). libvirt keeps error state per thread, so it
/// must be taken on the thread that made the failing call, right after it, before any other libvirt call.
/// </summary>
internal readonly record struct LibvirtError(int Code, string Message)
{
    /// <summary>VIR_ERR_NO_DOMAIN: the domain does not exist (or vanished under the call).</summary>
    public const int NoDomain = 42;

    /// <summary>VIR_ERR_OPERATION_INVALID: not applicable in the domain's current state.</summary>
    public const int OperationInvalid = 55;

    public bool IsNoDomain => Code == NoDomain;

    public string CodeName => Names.TryGetValue(Code, out var name) ? name : $"VIR_ERR_{Code}";

    /// <summary>Reads and clears the calling thread's last error.</summary>
    public static unsafe LibvirtError Take()
    {
        var record = LibvirtNative.virGetLastError();
        if (record is null) return new LibvirtError(0, "unknown libvirt error (virGetLastError returned nothing)");
        var error = new LibvirtError(record->Code, Marshal.PtrToStringUTF8(record->Message) ?? "no message");
        LibvirtNative.virResetLastError();
        return error;
    }

    /// <summary>
    /// Stops libvirt printing every error to stderr ("libvirt: QEMU Driver error : ..."): the driver turns
    /// each into an exception for its caller, who decides whether it is worth a log line. Process-wide, so
    /// setting it again is harmless.
    /// </summary>
    public static unsafe void SilenceDefaultReporting() => LibvirtNative.virSetErrorFunc(IntPtr.Zero, &IgnoreError);

    [UnmanagedCallersOnly]
    private static unsafe void IgnoreError(IntPtr userData, LibvirtNative.ErrorRecord* error)
    {
        // The error stays readable through virGetLastError on the failing thread.
    }

    /// <summary>"start of 'instance-00000001' failed: Requested operation is not valid: ... (VIR_ERR_OPERATION_INVALID)".</summary>
    public HypervisorException ToException(string what) => new($"{what} failed: {Message} ({CodeName})");

    /// <summary>The virErrorNumber names from virterror.h (libvirt 9.0), so messages carry the constant a reader can look up.</summary>
    private static readonly FrozenDictionary<int, string> Names = new Dictionary<int, string>
    {
        [0] = "VIR_ERR_OK",
        [1] = "VIR_ERR_INTERNAL_ERROR",
        [2] = "VIR_ERR_NO_MEMORY",
        [3] = "VIR_ERR_NO_SUPPORT",
        [4] = "VIR_ERR_UNKNOWN_HOST",
        [5] = "VIR_ERR_NO_CONNECT",
        [6] = "VIR_ERR_INVALID_CONN",
        [7] = "VIR_ERR_INVALID_DOMAIN",
        [8] = "VIR_ERR_INVALID_ARG",
        [9] = "VIR_ERR_OPERATION_FAILED",
        [10] = "VIR_ERR_GET_FAILED",
        [11] = "VIR_ERR_POST_FAILED",
        [12] = "VIR_ERR_HTTP_ERROR",
        [13] = "VIR_ERR_SEXPR_SERIAL",
        [14] = "VIR_ERR_NO_XEN",
        [15] = "VIR_ERR_XEN_CALL",
        [16] = "VIR_ERR_OS_TYPE",
        [17] = "VIR_ERR_NO_KERNEL",
        [18] = "VIR_ERR_NO_ROOT",
        [19] = "VIR_ERR_NO_SOURCE",
        [20] = "VIR_ERR_NO_TARGET",
        [21] = "VIR_ERR_NO_NAME",
        [22] = "VIR_ERR_NO_OS",
        [23] = "VIR_ERR_NO_DEVICE",
        [24] = "VIR_ERR_NO_XENSTORE",
        [25] = "VIR_ERR_DRIVER_FULL",
        [26] = "VIR_ERR_CALL_FAILED",
        [27] = "VIR_ERR_XML_ERROR",
        [28] = "VIR_ERR_DOM_EXIST",
        [29] = "VIR_ERR_OPERATION_DENIED",
        [30] = "VIR_ERR_OPEN_FAILED",
        [31] = "VIR_ERR_READ_FAILED",
        [32] = "VIR_ERR_PARSE_FAILED",
        [33] = "VIR_ERR_CONF_SYNTAX",
        [34] = "VIR_ERR_WRITE_FAILED",
        [35] = "VIR_ERR_XML_DETAIL",
        [36] = "VIR_ERR_INVALID_NETWORK",
        [37] = "VIR_ERR_NETWORK_EXIST",
        [38] = "VIR_ERR_SYSTEM_ERROR",
        [39] = "VIR_ERR_RPC",
        [40] = "VIR_ERR_GNUTLS_ERROR",
        [42] = "VIR_ERR_NO_DOMAIN",
        [43] = "VIR_ERR_NO_NETWORK",
        [44] = "VIR_ERR_INVALID_MAC",
        [45] = "VIR_ERR_AUTH_FAILED",
        [46] = "VIR_ERR_INVALID_STORAGE_POOL",
        [47] = "VIR_ERR_INVALID_STORAGE_VOL",
        [49] = "VIR_ERR_NO_STORAGE_POOL",
        [50] = "VIR_ERR_NO_STORAGE_VOL",
        [52] = "VIR_ERR_INVALID_NODE_DEVICE",
        [53] = "VIR_ERR_NO_NODE_DEVICE",
        [54] = "VIR_ERR_NO_SECURITY_MODEL",
        [55] = "VIR_ERR_OPERATION_INVALID",
        [57] = "VIR_ERR_NO_INTERFACE",
        [58] = "VIR_ERR_INVALID_INTERFACE",
        [59] = "VIR_ERR_MULTIPLE_INTERFACES",
        [61] = "VIR_ERR_INVALID_NWFILTER",
        [62] = "VIR_ERR_NO_NWFILTER",
        [63] = "VIR_ERR_BUILD_FIREWALL",
        [65] = "VIR_ERR_INVALID_SECRET",
        [66] = "VIR_ERR_NO_SECRET",
        [67] = "VIR_ERR_CONFIG_UNSUPPORTED",
        [68] = "VIR_ERR_OPERATION_TIMEOUT",
        [69] = "VIR_ERR_MIGRATE_PERSIST_FAILED",
        [70] = "VIR_ERR_HOOK_SCRIPT_FAILED",
        [71] = "VIR_ERR_INVALID_DOMAIN_SNAPSHOT",
        [72] = "VIR_ERR_NO_DOMAIN_SNAPSHOT",
        [73] = "VIR_ERR_INVALID_STREAM",
        [74] = "VIR_ERR_ARGUMENT_UNSUPPORTED",
        [75] = "VIR_ERR_STORAGE_PROBE_FAILED",
        [76] = "VIR_ERR_STORAGE_POOL_BUILT",
        [77] = "VIR_ERR_SNAPSHOT_REVERT_RISKY",
        [78] = "VIR_ERR_OPERATION_ABORTED",
        [79] = "VIR_ERR_AUTH_CANCELLED",
        [80] = "VIR_ERR_NO_DOMAIN_METADATA",
        [81] = "VIR_ERR_MIGRATE_UNSAFE",
        [82] = "VIR_ERR_OVERFLOW",
        [83] = "VIR_ERR_BLOCK_COPY_ACTIVE",
        [84] = "VIR_ERR_OPERATION_UNSUPPORTED",
        [85] = "VIR_ERR_SSH",
        [86] = "VIR_ERR_AGENT_UNRESPONSIVE",
        [87] = "VIR_ERR_RESOURCE_BUSY",
        [88] = "VIR_ERR_ACCESS_DENIED",
        [89] = "VIR_ERR_DBUS_SERVICE",
        [90] = "VIR_ERR_STORAGE_VOL_EXIST",
        [91] = "VIR_ERR_CPU_INCOMPATIBLE",
        [92] = "VIR_ERR_XML_INVALID_SCHEMA",
        [93] = "VIR_ERR_MIGRATE_FINISH_OK",
        [94] = "VIR_ERR_AUTH_UNAVAILABLE",
        [95] = "VIR_ERR_NO_SERVER",
        [96] = "VIR_ERR_NO_CLIENT",
        [97] = "VIR_ERR_AGENT_UNSYNCED",
        [98] = "VIR_ERR_LIBSSH",
        [99] = "VIR_ERR_DEVICE_MISSING",
        [100] = "VIR_ERR_INVALID_NWFILTER_BINDING",
        [101] = "VIR_ERR_NO_NWFILTER_BINDING",
        [102] = "VIR_ERR_INVALID_DOMAIN_CHECKPOINT",
        [103] = "VIR_ERR_NO_DOMAIN_CHECKPOINT",
        [104] = "VIR_ERR_NO_DOMAIN_BACKUP",
        [105] = "VIR_ERR_INVALID_NETWORK_PORT",
        [106] = "VIR_ERR_NETWORK_PORT_EXIST",
        [107] = "VIR_ERR_NO_NETWORK_PORT",
        [108] = "VIR_ERR_NO_HOSTNAME",
        [109] = "VIR_ERR_CHECKPOINT_INCONSISTENT",
        [110] = "VIR_ERR_MULTIPLE_DOMAINS",
    }.ToFrozenDictionary();
}
