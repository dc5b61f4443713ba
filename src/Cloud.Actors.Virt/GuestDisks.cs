using Cloud.Actors.Virt.Libvirt;

namespace Cloud.Actors.Virt;

/// <summary>
/// The files a spawn prepared for a guest in its instance directory (Nova's _create_image): the root disk
/// overlay, the config drive, where its serial console is written, and the kernel/initrd for a direct
/// kernel boot. All paths are absolute, as libvirt needs them.
/// </summary>
public sealed record GuestDisks(string DiskPath, string? ConfigDrivePath, string ConsoleLogPath, DirectKernelBoot? KernelBoot = null);
