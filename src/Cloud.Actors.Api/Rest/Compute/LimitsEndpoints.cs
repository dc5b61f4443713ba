using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>
/// /limits: what the project uses. No quota is enforced here, so every maximum is -1 (Nova's "unlimited") rather
/// than a number the cloud would not hold anyone to.
/// </summary>
public sealed class LimitsEndpoints(NovaService nova)
{
    public void Map(IEndpointRouteBuilder api) => api.MapGet("/limits", JsonBody.Handle(Limits));

    private async Task<IResult> Limits(HttpContext http)
    {
        var version = http.Microversion();
        var usage = await nova.Usage(http.Caller());
        var absolute = new JsonObject
        {
            ["maxServerMeta"] = -1,
            ["maxTotalInstances"] = -1,
            ["maxTotalCores"] = -1,
            ["maxTotalRAMSize"] = -1,
            ["maxTotalKeypairs"] = -1,
            ["maxImageMeta"] = -1,
            ["maxServerGroups"] = -1,
            ["maxServerGroupMembers"] = -1,
            ["totalInstancesUsed"] = usage.Instances,
            ["totalCoresUsed"] = usage.Cores,
            ["totalRAMUsed"] = usage.RamMb,
            ["totalServerGroupsUsed"] = 0,
        };
        if (!version.AtLeast(36))
        {
            // Network quotas left the compute API in 2.36.
            absolute["maxTotalFloatingIps"] = -1;
            absolute["maxSecurityGroups"] = -1;
            absolute["maxSecurityGroupRules"] = -1;
            absolute["totalFloatingIpsUsed"] = 0;
            absolute["totalSecurityGroupsUsed"] = 0;
        }
        if (!version.AtLeast(57))
        {
            // Personality (injected files) left in 2.57.
            absolute["maxPersonality"] = -1;
            absolute["maxPersonalitySize"] = -1;
        }
        return JsonBody.Write(new JsonObject { ["limits"] = new JsonObject { ["rate"] = new JsonArray(), ["absolute"] = absolute } });
    }
}
