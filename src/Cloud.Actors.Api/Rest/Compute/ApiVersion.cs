using System.Globalization;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>A compute API microversion (nova/api/openstack/api_version_request.py): 2.1 up to <see cref="Max"/>.</summary>
public readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    public static readonly ApiVersion Min = new(2, 1);

    /// <summary>
    /// The highest microversion served. 2.93 is Nova 2023.x's maximum; every view change up to it that touches the
    /// resources served here is honoured (see docs and ServerView). novaclient 18.1 negotiates 2.92 against it.
    /// </summary>
    public static readonly ApiVersion Max = new(2, 93);

    public int CompareTo(ApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator >=(ApiVersion a, ApiVersion b) => a.CompareTo(b) >= 0;
    public static bool operator <=(ApiVersion a, ApiVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >(ApiVersion a, ApiVersion b) => a.CompareTo(b) > 0;
    public static bool operator <(ApiVersion a, ApiVersion b) => a.CompareTo(b) < 0;

    /// <summary>At least 2.<paramref name="minor"/>.</summary>
    public bool AtLeast(int minor) => this >= new ApiVersion(2, minor);

    public override string ToString() => $"{Major}.{Minor}";

    /// <summary>"X.Y" with no leading zeros beyond a lone 0, as Nova's regex ^([1-9]\d*)\.([1-9]\d*|0)$.</summary>
    public static bool TryParse(string text, out ApiVersion version)
    {
        version = default;
        var dot = text.IndexOf('.');
        if (dot <= 0) return false;
        var major = text[..dot];
        var minor = text[(dot + 1)..];
        if (!IsNumber(major) || major[0] == '0' || !IsNumber(minor) || minor.Length > 1 && minor[0] == '0') return false;
        if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var ma)
            || !int.TryParse(minor, NumberStyles.None, CultureInfo.InvariantCulture, out var mi)) return false;
        version = new ApiVersion(ma, mi);
        return true;
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}
