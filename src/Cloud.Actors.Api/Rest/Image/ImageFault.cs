using Microsoft.AspNetCore.Http;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>
/// Glance's error bodies: webob's plain-text page ("404 Not Found", a blank line, the explanation). The clients
/// print the explanation and act on the status.
/// </summary>
public static class ImageFault
{
    public static IResult Result(int code, string message) =>
        Results.Text($"{code} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code)}\n\n{message}\n\n",
            "text/plain", System.Text.Encoding.UTF8, code);
}
