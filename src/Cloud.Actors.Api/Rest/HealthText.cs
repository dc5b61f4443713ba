using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cloud.Actors.Api.Rest;

/// <summary>
/// A readiness report as oslo.middleware's healthcheck answers: plain text, 200 "OK", else 503 "FAILED" and what
/// fails. Degraded (serving, with something it needs away for a while) is 200 "OK" with what is degraded.
/// </summary>
public static class HealthText
{
    public static IResult Of(HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy) return Results.Text("OK\n");
        var notHealthy = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message ?? e.Value.Status.ToString()}");
        return report.Status == HealthStatus.Degraded
            ? Results.Text("OK\n" + string.Join("\n", notHealthy) + "\n")
            : Results.Text("FAILED\n" + string.Join("\n", notHealthy) + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
