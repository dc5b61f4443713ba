namespace Cloud.Actors.Compute.Images;

/// <summary>What one cache manager pass did with each base file it recognised (full paths).</summary>
public sealed record ImageCachePass(
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> KeptInUse,
    IReadOnlyList<string> KeptYoung,
    IReadOnlyList<string> KeptUnused);
