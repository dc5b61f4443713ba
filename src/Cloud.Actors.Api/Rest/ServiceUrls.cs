namespace Cloud.Actors.Api.Rest;

/// <summary>
/// The base URL each service is reachable at, known once its listener is bound (a port of 0 becomes a real one):
/// the token's service catalog and the version documents point here.
/// </summary>
public sealed class ServiceUrls
{
    public string Identity { get; set; } = "";
    public string Compute { get; set; } = "";
    public string Image { get; set; } = "";
    public string Network { get; set; } = "";

    /// <summary>Nova's metadata API, for the metadata proxy; empty when it does not listen.</summary>
    public string Metadata { get; set; } = "";
}
