using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Cloud.Actors.Bench.Faults;

/// <summary>A server as GET /servers/detail shows it to an admin.</summary>
public sealed record ServerRow(string Id, string Name, string Status, string? TaskState, string? Host, string? Fault, int Vcpus, long MemoryMb);

/// <summary>A hypervisor as os-hypervisors/detail shows it.</summary>
public sealed record HypervisorRow(string Host, string State, int RunningVms, int VcpusUsed, long MemoryMbUsed);

/// <summary>
/// The OpenStack API of the cluster's controllers as a client on this machine uses it: a token from the identity API
/// (valid at every controller: they share the key), boots and deletes through any controller's compute API.
/// </summary>
public sealed class CloudClient : IDisposable
{
    public const string Cirros = "4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed";
    public const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private string _token = "";

    public async Task LoginAsync(string identity)
    {
        var body = JsonNode.Parse("""
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": "secret"}}},
                      "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
            """);
        using var response = await _http.PostAsJsonAsync($"{identity}/v3/auth/tokens", body);
        response.EnsureSuccessStatusCode();
        _token = response.Headers.GetValues("X-Subject-Token").Single();
    }

    private HttpRequestMessage Request(HttpMethod method, string url, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Auth-Token", _token);
        request.Headers.Add("OpenStack-API-Version", "compute 2.47");
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    /// <summary>POST /servers: the new server's id on 202, else null with why (status or the connection's failure).</summary>
    public async Task<(string? Id, string? Refusal)> BootAsync(string compute, string name, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["server"] = new JsonObject
            {
                ["name"] = name, ["imageRef"] = Cirros, ["flavorRef"] = "1",
                ["networks"] = new JsonArray(new JsonObject { ["uuid"] = Privada }),
            },
        };
        try
        {
            using var request = Request(HttpMethod.Post, $"{compute}/v2.1/servers", body);
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return response.StatusCode == HttpStatusCode.Accepted
                ? (JsonNode.Parse(text)!["server"]!["id"]!.GetValue<string>(), null)
                : (null, $"{(int)response.StatusCode} {Short(text)}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, e.GetBaseException().Message);
        }
    }

    /// <summary>DELETE /servers/{id}: true on 204 (accepted), false with why.</summary>
    public async Task<(bool Accepted, string? Refusal)> DeleteAsync(string compute, string id, CancellationToken ct)
    {
        try
        {
            using var request = Request(HttpMethod.Delete, $"{compute}/v2.1/servers/{id}");
            using var response = await _http.SendAsync(request, ct);
            return response.StatusCode == HttpStatusCode.NoContent ? (true, null) : (false, $"{(int)response.StatusCode} {Short(await response.Content.ReadAsStringAsync(ct))}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (false, e.GetBaseException().Message);
        }
    }

    public async Task<IReadOnlyList<ServerRow>> ServersAsync(string compute)
    {
        using var request = Request(HttpMethod.Get, $"{compute}/v2.1/servers/detail?all_tenants=1");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return json["servers"]!.AsArray().Select(s => new ServerRow(
            s!["id"]!.GetValue<string>(), s["name"]!.GetValue<string>(), s["status"]!.GetValue<string>(),
            s["OS-EXT-STS:task_state"]?.GetValue<string>(), s["OS-EXT-SRV-ATTR:host"]?.GetValue<string>(),
            s["fault"]?["message"]?.GetValue<string>(),
            s["flavor"]!["vcpus"]!.GetValue<int>(), s["flavor"]!["ram"]!.GetValue<long>())).ToList();
    }

    public async Task<IReadOnlyList<HypervisorRow>> HypervisorsAsync(string compute)
    {
        using var request = Request(HttpMethod.Get, $"{compute}/v2.1/os-hypervisors/detail");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return json["hypervisors"]!.AsArray().Select(h => new HypervisorRow(
            h!["hypervisor_hostname"]!.GetValue<string>(), h["state"]!.GetValue<string>(), h["running_vms"]!.GetValue<int>(),
            h["vcpus_used"]!.GetValue<int>(), h["memory_mb_used"]!.GetValue<long>())).ToList();
    }

    private static string Short(string text) => text.Length <= 160 ? text : text[..160] + "…";

    public void Dispose() => _http.Dispose();
}
