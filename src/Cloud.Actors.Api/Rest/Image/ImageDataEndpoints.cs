using Cloud.Actors.Api.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Actors.Api.Rest.Image;

/// <summary>
/// Image v2 data (glance/api/v2/image_data.py): upload and download of an image's bytes, streamed between the
/// connection and the image store in chunks. Uploads have their own body limit (<see cref="RestOptions.MaxImageBytes"/>)
/// in place of the small one every other request gets.
/// </summary>
public sealed class ImageDataEndpoints(ImageService images, long maxImageBytes)
{
    public void Map(IEndpointRouteBuilder api)
    {
        api.MapPut("/v2/images/{id}/file", Upload);
        api.MapGet("/v2/images/{id}/file", Download);
    }

    private async Task<IResult> Upload(string id, HttpContext http)
    {
        // Before the first read: afterwards Kestrel has fixed the limit and the feature is read-only.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxImageBytes;
        var contentType = http.Request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            throw new NovaException(StatusCodes.Status415UnsupportedMediaType, $"Content type '{contentType}' is not supported; upload as application/octet-stream.");
        await images.Upload(id, http.Request.Body, http.Caller(), http.RequestAborted);
        return Results.NoContent();
    }

    private async Task<IResult> Download(string id, HttpContext http)
    {
        var download = await images.Download(id, http.Caller());
        if (download.Content is null) return Results.NoContent();
        // Glance's Content-MD5 is the hex checksum (not RFC 1864's base64): openstacksdk compares it to the md5 it computes.
        http.Response.Headers["Content-MD5"] = download.Data!.Checksum;
        return Results.Stream(download.Content, "application/octet-stream");
    }
}
