using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Virt;

namespace Cloud.Actors.Compute.Tests;

/// <summary>Instance storage that only has console files: &lt;temp&gt;/&lt;uuid&gt;/console.log, as the libvirt driver lays them out.</summary>
public sealed class ConsoleFileStorage : IInstanceStorage, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cloud-actors-console-").FullName;

    public Task<GuestDisks?> PrepareAsync(InstanceSpec spec, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.Combine(_root, spec.Id.ToString()));
        return Task.FromResult<GuestDisks?>(null);
    }

    public Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        var dir = Path.Combine(_root, id.ToString());
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    public string? ConsoleLogPath(Guid id) => Path.Combine(_root, id.ToString(), "console.log");

    public bool HasFiles(Guid id) => Directory.Exists(Path.Combine(_root, id.ToString()));

    /// <summary>What the guest writes to its serial console.</summary>
    public void Write(Guid id, string text)
    {
        Directory.CreateDirectory(Path.Combine(_root, id.ToString()));
        File.AppendAllText(ConsoleLogPath(id)!, text);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* a tailer may still hold a file; the temp dir is cleaned later */ }
    }
}
