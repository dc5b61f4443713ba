using System.Text.RegularExpressions;

namespace Cloud.Actors.Domain.Catalog;

/// <summary>
/// Which image ids are accepted: a GUID (Glance's ids) or a short token of letters, digits, '-' and '_'.
/// Ids become file names in the image store, so nothing else (no '/', no '.', no "..") ever gets that far.
/// </summary>
public static partial class ImageId
{
    public static bool IsValid(string? id) =>
        id is not null && (Guid.TryParseExact(id, "D", out _) || Token().IsMatch(id));

    /// <summary>Throws <see cref="ArgumentException"/> naming the id when it is not valid.</summary>
    public static string Require(string? id) =>
        IsValid(id) ? id! : throw new ArgumentException($"Invalid image id '{id}': expected a UUID or [A-Za-z0-9_-]{{1,64}}", nameof(id));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Token();
}
