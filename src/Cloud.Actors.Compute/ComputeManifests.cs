using Cloud.Actors.Compute.Console;
using Cloud.Actors.Domain.Serialization;

namespace Cloud.Actors.Compute;

/// <summary>
/// The manifests of what this assembly journals: the console tailer's position (snapshots of
/// <c>console-&lt;uuid&gt;</c>). The instance and compute events are the domain's (<see cref="DomainManifests"/>).
/// A manifest, once released, never changes; the second string is what release 064f270 and earlier wrote.
/// </summary>
public sealed class ComputeManifests : ManifestTable
{
    public ComputeManifests()
    {
        Add<ConsoleTailPosition>("console-tail-position", "Cloud.Actors.Compute.Console.ConsoleTailPosition, Cloud.Actors.Compute");
    }
}
