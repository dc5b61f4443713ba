using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Scheduler.Filters;

/// <summary>
/// The image's architecture, hypervisor type and vm mode, when it names them, must be what the host
/// supports (Nova's ImagePropertiesFilter, with its old and new property names).
/// </summary>
public sealed class ImagePropertiesFilter : IHostFilter
{
    private static readonly (string HostProperty, string[] ImageProperties)[] Checks =
    [
        ("architecture", ["hw_architecture", "architecture"]),
        ("hypervisor_type", ["img_hv_type", "hypervisor_type"]),
        ("vm_mode", ["hw_vm_mode", "vm_mode"]),
    ];

    public string Name => "ImagePropertiesFilter";

    public bool Passes(HostCandidate host, SelectDestination request)
    {
        foreach (var (hostProperty, imageProperties) in Checks)
        {
            if (Wanted(request, imageProperties) is not { } wanted) continue;
            if (!host.Capabilities.Properties.TryGetValue(hostProperty, out var offered)
                || !string.Equals(wanted, offered, StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }

    /// <summary>The first of the property's names the image gives a value (a loop: this runs per host per boot).</summary>
    private static string? Wanted(SelectDestination request, string[] imageProperties)
    {
        foreach (var name in imageProperties)
            if (request.ImageProperties.TryGetValue(name, out var value) && value is not null)
                return value;
        return null;
    }
}
