namespace Cloud.Actors.Api.Application;

/// <summary>
/// Glance's image schema (glance/api/v2/images.py get_base_properties): the allowed formats, the attributes only
/// Glance itself sets, and its 400 messages, which name the field as jsonschema does.
/// </summary>
public static class ImageSchema
{
    public const int MaxLength = 255;

    public static readonly IReadOnlyList<string> DiskFormats = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];

    public static readonly IReadOnlyList<string> ContainerFormats = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];

    /// <summary>Attributes a caller may not set: create answers 403 naming the first, as Glance does.</summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "status", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value", "created_at", "updated_at",
        "direct_url", "locations", "self", "file", "schema",
    };

    /// <summary>A 400 as Glance's jsonschema validation words it: the offending value, then the field it failed in.</summary>
    public static NovaException Invalid(string field, string problem, string validator) =>
        new(400, $"Provided object does not match schema 'image': {problem}. Failed validating '{validator}' in schema['properties']['{field}']");

    public static string? OneOf(string field, string? value, IReadOnlyList<string> allowed) =>
        value is null || allowed.Contains(value)
            ? value
            : throw Invalid(field, $"'{value}' is not one of [{string.Join(", ", allowed.Select(a => $"'{a}'"))}]", "enum");

    public static string? Length(string field, string? value) =>
        value is not null && value.Length > MaxLength
            ? throw Invalid(field, $"'{value[..16]}...' is too long ({value.Length} characters, at most {MaxLength})", "maxLength")
            : value;
}
