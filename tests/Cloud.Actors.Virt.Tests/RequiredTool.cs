namespace Cloud.Actors.Virt.Tests;

/// <summary>
/// The host tools the image specs run for real. A missing one fails the spec (never skips it), so CI
/// cannot pass without having exercised qemu-img and genisoimage.
/// </summary>
internal static class RequiredTool
{
    public static string Find(string tool, string debianPackage)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
        if (found is null) Assert.Fail($"{tool} is not installed (Debian package {debianPackage}); run ./cluster.sh setup");
        return found;
    }
}
