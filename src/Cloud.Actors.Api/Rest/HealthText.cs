using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cloud.Actors.Api.Rest;

/// <summary>A readiness report as oslo.middleware's healthcheck answers: plain text, 200 "OK", else 503 "FAILED" and what fails.</summary>
public static class HealthText
{
    public static IResult Of(HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy) return Results.Text("OK\n");
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message ?? e.Value.Status.ToString()}");
        return Results.Text("FAILED\n" + string.Join("\n", failing) + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
