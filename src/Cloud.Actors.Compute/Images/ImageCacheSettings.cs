namespace Cloud.Actors.Compute.Images;

/// <summary>cloud-actors.compute.image-cache: Nova's image_cache_manager_interval, remove_unused_base_images and
/// remove_unused_original_minimum_age_seconds, with Nova's defaults.</summary>
public sealed record ImageCacheSettings
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(40);

    public bool RemoveUnusedBaseImages { get; init; } = true;

    /// <summary>A base unused (untouched) for less than this is kept: an instance may be about to boot from it.</summary>
    public TimeSpan RemoveUnusedOriginalMinimumAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>A .part or .converted file untouched for this long is left over from a fetch that died.</summary>
    public TimeSpan AbandonedFetchAge { get; init; } = TimeSpan.FromHours(1);
}
