using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>
/// Glance's error bodies: webob's HTML page (title, heading, explanation). openstacksdk reads a message only from
/// JSON or HTML error bodies, stripping the tags; from plain text it would show the bare reason phrase.
/// </summary>
public static class ImageFault
{
    public static IResult Result(int code, string message)
    {
        var status = $"{code} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code)}";
        // Only what would break the markup is escaped, so the quotes of jsonschema's messages reach the user as typed.
        var explanation = message.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
        var page = $"<html>\n <head>\n  <title>{status}</title>\n </head>\n <body>\n  <h1>{status}</h1>\n  {explanation}<br /><br />\n\n\n\n </body>\n</html>";
        return Results.Text(page, "text/html", System.Text.Encoding.UTF8, code);
    }
}
