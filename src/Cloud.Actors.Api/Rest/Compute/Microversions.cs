using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// Nova's microversion negotiation (wsgi.Request.set_api_version_request): <c>OpenStack-API-Version: compute X.Y</c>,
/// else the legacy <c>X-OpenStack-Nova-API-Version: X.Y</c>, else 2.1; "latest" is the maximum; a malformed value is
/// 400 and one out of range 406. Every answer names the version it was served at and that it varies with it.
/// </summary>
public static class Microversions
{
    private const string VersionKey = "cloud-actors.microversion";
    public const string Header = "OpenStack-API-Version";
    public const string LegacyHeader = "X-OpenStack-Nova-API-Version";

    public static async Task Negotiate(HttpContext http, RequestDelegate next)
    {
        var requested = Requested(http.Request.Headers);
        ApiVersion version;
        if (requested is null) version = ApiVersion.Min;
        else if (requested.Equals("latest", StringComparison.OrdinalIgnoreCase)) version = ApiVersion.Max;
        else if (!ApiVersion.TryParse(requested, out version))
        {
            await ComputeFault.Result(400, $"API Version String {requested} is of invalid format. Must be of format MajorNum.MinorNum.").ExecuteAsync(http);
            return;
        }
        else if (version < ApiVersion.Min || version > ApiVersion.Max)
        {
            await ComputeFault.Result(406, $"Version {requested} is not supported by the API. Minimum is {ApiVersion.Min} and maximum is {ApiVersion.Max}.").ExecuteAsync(http);
            return;
        }
        http.Items[VersionKey] = version;
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = $"compute {version}";
            http.Response.Headers[LegacyHeader] = version.ToString();
            http.Response.Headers.Vary = new([Header, LegacyHeader]);
            return Task.CompletedTask;
        });
        await next(http);
    }

    public static ApiVersion Microversion(this HttpContext http) =>
        http.Items.TryGetValue(VersionKey, out var v) && v is ApiVersion version ? version : ApiVersion.Min;

    private static string? Requested(IHeaderDictionary headers)
    {
        // The new header may list several services ("compute 2.60, image 2.1"); only ours counts.
        foreach (var value in headers[Header])
            foreach (var part in (value ?? "").Split(','))
            {
                var words = part.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (words.Length == 2 && words[0].Equals("compute", StringComparison.OrdinalIgnoreCase)) return words[1];
            }
        var legacy = headers[LegacyHeader].FirstOrDefault();
        return string.IsNullOrWhiteSpace(legacy) ? null : legacy.Trim();
    }
}
