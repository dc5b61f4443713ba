using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Compute;

/// <summary>/servers: list, detail, show, create, delete. Lookups, validation and tenancy are NovaService's.</summary>
public sealed partial class ServersEndpoints(NovaService nova)
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex IsoDateTime();

    /// <summary>Nova's limit on user_data: 65535 characters of base64.</summary>
    private const int MaxUserDataLength = 65535;

    /// <summary>Nova's default quota of metadata items per server.</summary>
    private const int MaxMetadataItems = 128;

    public void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/servers", JsonBody.Handle((HttpContext http) => List(http, detail: false)));
        api.MapGet("/servers/detail", JsonBody.Handle((HttpContext http) => List(http, detail: true)));
        api.MapGet("/servers/{id}", Show);
        api.MapPost("/servers", JsonBody.Handle(Create));
        api.MapPut("/servers/{id}", Update);
        api.MapDelete("/servers/{id}", Delete);
    }

    public static ServerView View(HttpContext http) =>
        new($"{http.Request.Scheme}://{http.Request.Host}", http.Microversion(), http.Caller().IsAdmin);

    /// <summary>Nova looks servers up by uuid only: a name (the clients try one first) is a 404, as there.</summary>
    public static async Task<InstanceFound> Find(NovaService nova, HttpContext http, string id)
    {
        if (!Guid.TryParse(id, out var uuid)) throw new NovaException(404, $"Instance {id} could not be found.");
        try
        {
            return await nova.Show(uuid.ToString(), http.Caller());
        }
        catch (NovaException missing) when (missing.Code == 404)
        {
            // The shell's wording ("No server with a name or ID ...") is novaclient's; the API answers as Nova.
            throw new NovaException(404, $"Instance {id} could not be found.");
        }
    }

    private async Task<IResult> List(HttpContext http, bool detail)
    {
        var caller = http.Caller();
        var query = http.Request.Query;
        var allTenants = query.TryGetValue("all_tenants", out var all) && IsTrue(all.ToString());
        if (allTenants && !caller.IsAdmin)
            throw ComputePolicy.Forbidden($"servers:{(detail ? "detail" : "index")}:get_all_tenants");
        IEnumerable<InstanceFound> servers = await nova.List(caller, allTenants);
        if (allTenants && (query["project_id"].FirstOrDefault() ?? query["tenant_id"].FirstOrDefault()) is { Length: > 0 } project)
            servers = servers.Where(s => s.State.Spec.ProjectId == project);
        if (query["name"].FirstOrDefault() is { Length: > 0 } name)
        {
            var pattern = NamePattern(name);
            servers = servers.Where(s => pattern(s.State.Spec.Name));
        }
        if (query["status"].FirstOrDefault() is { Length: > 0 } status)
            servers = servers.Where(s => string.Equals(s.State.Status, status, StringComparison.OrdinalIgnoreCase));
        // Nova's image, flavor and ip filters (an id, or an href ending in one; ip is a regular expression).
        if (query["image"].FirstOrDefault() is { Length: > 0 } image)
            servers = servers.Where(s => s.State.Spec.Image.Id == Reference(image));
        if (query["flavor"].FirstOrDefault() is { Length: > 0 } flavor)
            servers = servers.Where(s => s.State.Spec.Flavor.Id == Reference(flavor));
        if (query["ip"].FirstOrDefault() is { Length: > 0 } ip)
        {
            var pattern = NamePattern(ip);
            servers = servers.Where(s => s.State.Spec.Addresses.Any(a => pattern(a.Address)));
        }
        // An admin's filter only, as Nova's; a non-admin's is ignored, as there.
        if (caller.IsAdmin && query["host"].FirstOrDefault() is { Length: > 0 } host)
            servers = servers.Where(s => s.State.Host == host);
        if (query["changes-since"].FirstOrDefault() is { } changesSince)
        {
            // ISO 8601 only, as Nova's 'date-time' format: "2011/01/01" is refused, not read as a date.
            if (!IsoDateTime().IsMatch(changesSince) || !DateTimeOffset.TryParse(changesSince, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var since))
                throw new NovaException(400, $"Invalid input for query parameters changes-since. Value: {changesSince}. '{changesSince}' is not a 'date-time'");
            servers = servers.Where(s => s.State.UpdatedAt >= since);
        }
        var page = Paging<InstanceFound>.Of(servers.ToList(), http, s => s.State.Id.ToString(), $"/v2.1/servers{(detail ? "/detail" : "")}");
        var view = View(http);
        var body = new JsonObject
        {
            ["servers"] = new JsonArray(page.Items.Select(s => (JsonNode)(detail ? view.Show(s) : view.Basic(s.State))).ToArray()),
        };
        page.AddLinks(body, "servers_links");
        return JsonBody.Write(body);
    }

    private async Task<IResult> Show(HttpContext http, string id) =>
        JsonBody.Write(new JsonObject { ["server"] = View(http).Show(await Find(nova, http, id)) });

    /// <summary>PUT /servers/{id}: name, access IPs, disk config and (from 2.19) description; answers the server's view.</summary>
    private async Task<IResult> Update(HttpContext http, string id)
    {
        var body = await JsonBody.ReadObject(http);
        ServerSchemas.Update(http.Microversion()).Validate(body);
        var server = body["server"]!.AsObject();
        var found = await Find(nova, http, id);
        var attributes = found.State.Spec.Attributes ?? ServerAttributes.None;
        var changed = attributes with
        {
            AccessIPv4 = server.ContainsKey("accessIPv4") ? NullIfEmpty(RequestFields.String(server, "accessIPv4")) : attributes.AccessIPv4,
            AccessIPv6 = server.ContainsKey("accessIPv6") ? NullIfEmpty(Ipv6(RequestFields.String(server, "accessIPv6"))) : attributes.AccessIPv6,
            DiskConfig = RequestFields.String(server, "OS-DCF:diskConfig") ?? attributes.DiskConfig,
            Description = server.ContainsKey("description") ? server["description"]?.GetValue<string>() : attributes.Description,
        };
        found = await nova.Update(found.State.Id.ToString(), RequestFields.String(server, "name"), changed == attributes ? null : changed, http.Caller());
        return JsonBody.Write(new JsonObject { ["server"] = View(http).Updated(found) });
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private async Task<IResult> Delete(HttpContext http, string id)
    {
        var found = await Find(nova, http, id);
        await nova.Act(found.State.Id.ToString(), InstanceAction.Delete, http.Caller());
        return Results.NoContent();
    }

    private async Task<IResult> Create(HttpContext http)
    {
        var body = await JsonBody.ReadObject(http);
        var version = http.Microversion();
        ServerSchemas.Create(version).Validate(body);
        var server = body["server"]!.AsObject();
        Unsupported(body, server);
        var name = RequestFields.String(server, "name", required: true)!;
        var image = Reference(RequestFields.String(server, "imageRef"));
        var flavor = Reference(RequestFields.Text(server, "flavorRef"));
        var keyName = RequestFields.String(server, "key_name");
        var zone = await Zone(http, RequestFields.String(server, "availability_zone"));
        var min = RequestFields.Integer(server, "min_count", 1) ?? 1;
        var max = RequestFields.Integer(server, "max_count", 1) ?? min;
        if (min > max) throw new NovaException(400, "min_count must be <= max_count");
        var networks = Networks(server, version);
        var configDrive = RequestFields.Boolean(server, "config_drive") ?? false;
        var userData = RequestFields.Base64(server, "user_data", MaxUserDataLength);
        if (string.IsNullOrEmpty(image))
            throw new NovaException(400, "Booting from volume is not supported here: imageRef is required.");
        var attributes = Attributes(server);
        var adminPass = RequestFields.String(server, "adminPass") ?? AdminPass();

        var booted = await nova.Boot(new BootArguments(name, image, flavor, keyName, [], zone, min, max, networks, configDrive, userData, attributes),
            http.Caller());
        var first = booted[0].State;
        var view = View(http);
        // Nova's multiple-create answer when asked for it: the reservation the servers share, instead of the first server.
        if (RequestFields.Boolean(server, "return_reservation_id") == true)
            return JsonBody.Write(new JsonObject { ["reservation_id"] = ServerView.ReservationId(first.Spec) }, StatusCodes.Status202Accepted);
        http.Response.Headers.Location = view.Links("servers", first.Id.ToString())[0]!["href"]!.GetValue<string>();
        return JsonBody.Write(new JsonObject
        {
            ["server"] = new JsonObject
            {
                ["id"] = first.Id.ToString(),
                ["links"] = view.Links("servers", first.Id.ToString()),
                ["OS-DCF:diskConfig"] = attributes.DiskConfig ?? "MANUAL",
                ["security_groups"] = new JsonArray(attributes.SecurityGroups!.Select(g => (JsonNode)new JsonObject { ["name"] = g }).ToArray()),
                // The one given, else one made up, as Nova answers; guests here take their key pair, not a password.
                ["adminPass"] = adminPass,
            },
        }, StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Fields Nova takes that this cloud cannot honour: a 400 that says so, before anything is made, rather than a
    /// server without what was asked.
    /// </summary>
    private static void Unsupported(JsonObject body, JsonObject server)
    {
        foreach (var (field, what) in new[]
                 {
                     ("block_device_mapping", "Block device mappings (volumes) are"), ("block_device_mapping_v2", "Block device mappings (volumes) are"),
                     ("personality", "Personality (file injection) is"), ("tags", "Server tags are"),
                     ("trusted_image_certificates", "Trusted image certificates are"), ("host", "Requesting a host is"),
                     ("hypervisor_hostname", "Requesting a hypervisor is"), ("hostname", "Choosing the hostname is"),
                 })
        {
            if (server[field] is null or JsonArray { Count: 0 }) continue;
            throw new NovaException(400, $"Invalid input for field/attribute server/{field}. {what} not supported by this cloud.");
        }
        foreach (var key in new[] { "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints" })
            if (body[key] is JsonObject { Count: > 0 } hints)
                throw new NovaException(400, $"Invalid input for field/attribute {key}. Scheduler hints ({string.Join(", ", hints.Select(h => h.Key))}) are not supported by this cloud.");
    }

    /// <summary>Metadata, access IPs, description and security groups as given (the schema has checked their form).</summary>
    private static ServerAttributes Attributes(JsonObject server)
    {
        var metadata = (server["metadata"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
        // Nova's quota on metadata items (metadata_items = 128).
        if (metadata.Count > MaxMetadataItems) throw new NovaException(403, "Quota exceeded, too many metadata items.");
        var groups = (server["security_groups"] as JsonArray ?? [])
            .Select(g => g!["name"]?.GetValue<string>() ?? throw new NovaException(400, "Invalid input for field/attribute server/security_groups. Each needs a name."))
            .Distinct(StringComparer.Ordinal).ToList();
        // Every project has the one group "default" here, which lets everything through; there is no other to join.
        foreach (var group in groups.Where(g => g != "default"))
            throw new NovaException(400, $"Security group {group} not found.");
        return new ServerAttributes(metadata, RequestFields.String(server, "accessIPv4"), Ipv6(RequestFields.String(server, "accessIPv6")),
            server["description"]?.GetValue<string>(), groups.Count == 0 ? ["default"] : groups, RequestFields.String(server, "OS-DCF:diskConfig"));
    }

    /// <summary>An IPv6 address as Nova shows it: in its shortest form (the schema has checked it is one).</summary>
    internal static string? Ipv6(string? address) =>
        string.IsNullOrEmpty(address) ? address : System.Net.IPAddress.Parse(address).ToString();

    /// <summary>
    /// Nova's availability_zone: a zone some host is in ("nova"), or "zone:host[:node]", which only an admin may ask
    /// for (Nova's forced host) and which this scheduler does not do.
    /// </summary>
    private async Task<string?> Zone(HttpContext http, string? requested)
    {
        if (requested is null) return null;
        var parts = requested.Split(':');
        if (parts.Length > 1)
        {
            if (!http.Caller().IsAdmin) throw ComputePolicy.Forbidden("servers:create:forced_host");
            throw new NovaException(400, $"Invalid input for field/attribute server/availability_zone. Forcing a host ('{requested}') is not supported by this cloud.");
        }
        var zones = (await nova.Hypervisors()).Select(h => h.Capabilities.AvailabilityZone).ToHashSet(StringComparer.Ordinal);
        if (!zones.Contains(requested)) throw new NovaException(400, "The requested availability zone is not available");
        return requested;
    }

    /// <summary>
    /// Nova's networks field: "auto" (null: the one network the project sees) or "none" (an empty list) from 2.37, or a
    /// list of NICs, each {"uuid"}, {"uuid", "fixed_ip"} or {"port"}; required from 2.37. Absent before 2.37: auto.
    /// </summary>
    private static IReadOnlyList<NicRequest>? Networks(JsonObject server, ApiVersion version)
    {
        if (!server.TryGetPropertyValue("networks", out var node))
            return version.AtLeast(37) ? throw RequestFields.Required("networks") : null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && version.AtLeast(37))
        {
            return value.GetValue<string>() switch
            {
                "auto" => null,
                "none" => [],
                var other => throw new NovaException(400, $"Invalid input for field/attribute networks. Value: {other}. '{other}' is not one of ['none', 'auto']"),
            };
        }
        if (node is not JsonArray list) throw RequestFields.WrongType("networks", node, "array");
        var nics = new List<NicRequest>();
        foreach (var item in list)
        {
            if (item is not JsonObject network) throw RequestFields.WrongType("networks", item, "object");
            RequestFields.OnlyKnown(network, "networks", "uuid", "port", "fixed_ip");
            var uuid = RequestFields.String(network, "uuid");
            var port = RequestFields.String(network, "port");
            var fixedIp = RequestFields.String(network, "fixed_ip");
            if (port is not null && fixedIp is not null)
                throw new NovaException(400, "Specified Fixed IP and port together is not supported here: the port's own fixed IPs are used.");
            if (port is null && uuid is null)
                throw new NovaException(400, "Bad networks format: network uuid or port is required.");
            // With a port, the network is the port's (Nova ignores a uuid given beside it).
            nics.Add(port is not null ? new NicRequest(null, port) : new NicRequest(uuid, null, fixedIp));
        }
        // An empty list is what no networks field is (Nova before 2.37): the project's one network.
        return nics.Count == 0 ? null : nics;
    }

    /// <summary>An id, or an href ending in one (Nova accepts both for imageRef and flavorRef).</summary>
    private static string? Reference(string? value) =>
        value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.Segments[^1].TrimEnd('/')
            : value;

    private static bool IsTrue(string value) =>
        value is "" or "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>Nova's name filter is a regular expression search; one that does not compile matches as text.</summary>
    private static Func<string, bool> NamePattern(string name)
    {
        try
        {
            var regex = new Regex(name, RegexOptions.None, TimeSpan.FromMilliseconds(50));
            return s =>
            {
                try { return regex.IsMatch(s); }
                catch (RegexMatchTimeoutException) { return false; }
            };
        }
        catch (ArgumentException) { return s => s.Contains(name, StringComparison.Ordinal); }
    }

    /// <summary>A password as Nova makes one when none is given (12 characters of an alphabet without look-alikes).</summary>
    internal static string AdminPass()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return new string(RandomNumberGenerator.GetItems<char>(alphabet, 12));
    }
}
