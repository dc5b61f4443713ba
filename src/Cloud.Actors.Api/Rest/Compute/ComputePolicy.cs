using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>Nova's policy refusals: the 403 naming the rule (<c>os_compute_api:&lt;rule&gt;</c>) the caller's roles do not satisfy.</summary>
public static class ComputePolicy
{
    public static NovaException Forbidden(string rule) => new(403, $"Policy doesn't allow os_compute_api:{rule} to be performed.");

    /// <summary>The admin-only rules (hypervisors, services, aggregates, zone details ...).</summary>
    public static void RequireAdmin(HttpContext http, string rule)
    {
        if (!http.Caller().IsAdmin) throw Forbidden(rule);
    }
}
