using System.Threading.Channels;
using Akka.Actor;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Api.Application;

/// <summary>
/// The controller's end of a console follow: subscribes to the instance's console through the directory and
/// writes every chunk the host streams into a channel that the caller reads. Stopping it (the caller went
/// away) unsubscribes, as the host watches it. The channel completes normally when the instance is deleted,
/// with a <see cref="NovaException"/> when the follow was refused or the host stopped streaming.
/// </summary>
internal sealed class ConsoleFollower : ReceiveActor
{
    private readonly Guid _instanceId;
    private readonly int? _length;
    private readonly IActorRef _directory;
    private readonly ChannelWriter<string> _output;
    private readonly TimeSpan _timeout;
    private IActorRef? _source;

    public ConsoleFollower(Guid instanceId, int? length, IActorRef directory, ChannelWriter<string> output, TimeSpan timeout)
    {
        _instanceId = instanceId;
        _length = length;
        _directory = directory;
        _output = output;
        _timeout = timeout;

        Receive<ConsoleChunk>(chunk =>
        {
            if (_source is null)
            {
                Context.SetReceiveTimeout(null);
                // The tailer streams; a driver without a console file answers once, from no actor to watch.
                _source = Sender;
                if (!Sender.IsNobody()) Context.Watch(Sender);
            }
            if (chunk.Text.Length > 0) _output.TryWrite(chunk.Text);
        });
        Receive<ConsoleFollowEnded>(_ => End());
        Receive<ActionRejected>(rejected => End(new NovaException(rejected.Code, rejected.Message)));
        Receive<Terminated>(_ => End(new NovaException(503,
            $"The console of instance {_instanceId} is no longer followed: its compute host stopped streaming it.")));
        Receive<ReceiveTimeout>(_ => End(new NovaException(503,
            $"The compute host of instance {_instanceId} did not answer in time.")));
    }

    public static Props Props(Guid instanceId, int? length, IActorRef directory, ChannelWriter<string> output, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new ConsoleFollower(instanceId, length, directory, output, timeout));

    protected override void PreStart()
    {
        _directory.Tell(new FollowConsole(_instanceId, _length, Self));
        Context.SetReceiveTimeout(_timeout);
    }

    protected override void PostStop() => _output.TryComplete();

    private void End(Exception? failure = null)
    {
        _output.TryComplete(failure);
        Context.Stop(Self);
    }
}
