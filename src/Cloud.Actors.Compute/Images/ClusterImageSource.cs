using Akka.Actor;
using Akka.Cluster;
using Akka.Streams;
using Akka.Streams.Dsl;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Compute.Images;

/// <summary>
/// Image bytes from the controllers' image service: asks /user/images on each Up member with the controller role
/// (this node first when it is one) until one offers the image, then pulls the offered SourceRef as a Stream.
/// </summary>
public sealed class ClusterImageSource : IImageSource
{
    private readonly ActorSystem _system;
    private readonly TimeSpan _askTimeout;
    private readonly TimeSpan _readTimeout;
    private readonly string _controllerRole;
    private readonly IMaterializer _materializer;

    /// <param name="readTimeout">How long a read waits for the next chunk before the download fails.</param>
    public ClusterImageSource(ActorSystem system, TimeSpan askTimeout, TimeSpan? readTimeout = null, string controllerRole = "controller")
    {
        _system = system;
        _askTimeout = askTimeout;
        _readTimeout = readTimeout ?? TimeSpan.FromSeconds(60);
        _controllerRole = controllerRole;
        // Creating a materializer also registers Akka.Streams' stream-ref serializer in this system, which the
        // offer's SourceRef needs before it arrives.
        _materializer = system.Materializer();
    }

    public async Task<ImageDownload> OpenAsync(string imageId, CancellationToken ct = default)
    {
        var cluster = Cluster.Get(_system);
        var controllers = cluster.State.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(_controllerRole))
            .OrderBy(m => m.Address == cluster.SelfAddress ? 0 : 1)
            .ThenBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .ToList();
        if (controllers.Count == 0)
            throw new ImageUnavailableException(imageId, $"Image {imageId}: no controller is Up to fetch it from", 503);

        var refusals = new List<string>();
        var code = 503;
        foreach (var controller in controllers)
        {
            var images = _system.ActorSelection(new RootActorPath(controller.Address) / "user" / "images");
            object answer;
            try
            {
                answer = await images.Ask<object>(new FetchImage(imageId), _askTimeout, ct);
            }
            catch (AskTimeoutException)
            {
                refusals.Add($"{controller.Address}: no answer within {_askTimeout.TotalSeconds:0.#} s");
                continue;
            }

            switch (answer)
            {
                case ImageOffer offer:
                    var content = offer.Bytes.Source.RunWith(StreamConverters.AsInputStream(_readTimeout), _materializer);
                    return new ImageDownload(offer.Image, content);
                case ImageFetchRejected rejected:
                    refusals.Add($"{controller.Address}: {rejected.Message}");
                    code = rejected.Code;
                    break;
                default:
                    refusals.Add($"{controller.Address}: unexpected answer {answer.GetType().Name}");
                    break;
            }
        }

        throw new ImageUnavailableException(imageId, $"Image {imageId} could not be fetched: {string.Join("; ", refusals)}", code);
    }
}
