using System.Text.Json.Nodes;
using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloud.Actors.Api.Rest;

/// <summary>
/// OpenStack's paging of a list (Nova's and Glance's): the items after the one whose id is <c>marker</c> (400 when no
/// item has it), at most <c>limit</c> of them, and a link to the next page, with the same query and the last item
/// shown as marker, when the page is full and more may follow.
/// </summary>
public sealed record Paging<T>(IReadOnlyList<T> Items, string? Next)
{
    /// <param name="idOf">An item's id, as the marker names it.</param>
    /// <param name="path">The list's own URL path (the next link is this with the query).</param>
    public static Paging<T> Of(IReadOnlyList<T> all, HttpContext http, Func<T, string> idOf, string path, int? maxLimit = null)
    {
        var query = http.Request.Query;
        IEnumerable<T> items = all;
        if (query["marker"].FirstOrDefault() is { Length: > 0 } marker)
        {
            var at = all.Select(idOf).ToList().IndexOf(marker);
            if (at < 0) throw new NovaException(400, $"marker [{marker}] not found");
            items = all.Skip(at + 1);
        }
        int? limit = maxLimit;
        if (query["limit"].FirstOrDefault() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                throw new NovaException(400, $"Invalid input for query parameters limit. Value: {limitText}. '{limitText}' does not match '^[0-9]*$'");
            limit = maxLimit is { } max ? Math.Min(parsed, max) : parsed;
        }
        var rest = items.ToList();
        if (limit is not { } n) return new Paging<T>(rest, null);
        var page = rest.Take(n).ToList();
        if (n == 0 || rest.Count <= n) return new Paging<T>(page, null);
        var next = QueryHelpers.AddQueryString($"{http.Request.Scheme}://{http.Request.Host}{path}",
            query.Where(q => q.Key != "marker").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
                .Append(KeyValuePair.Create("marker", (string?)idOf(page[^1]))));
        return new Paging<T>(page, next);
    }

    /// <summary>Nova's <c>{"rel": "next", "href": ...}</c> links under <paramref name="key"/> (servers_links, flavors_links), when there is a next page.</summary>
    public void AddLinks(JsonObject body, string key)
    {
        if (Next is not null) body[key] = new JsonArray(new JsonObject { ["rel"] = "next", ["href"] = Next });
    }
}
