using System.Text.RegularExpressions;

namespace Cloud.Actors.Api.Tests;

/// <summary>
/// Reads a running <c>cluster tail</c> frame by frame and keeps every line as (event, details), after checking
/// its shape: <c>&lt;UTC time&gt;  &lt;event&gt;  &lt;details&gt;</c>.
/// </summary>
public sealed partial class ClusterTailReader(ShellTestClient client)
{
    private readonly List<(string Event, string Details)> _events = [];
    private readonly List<DateTimeOffset> _times = [];

    /// <summary>Every line streamed so far, in order.</summary>
    public IReadOnlyList<(string Event, string Details)> Events => _events;

    /// <summary>The UTC time the line at <paramref name="index"/> carries.</summary>
    public DateTimeOffset TimeOf(int index) => _times[index];

    /// <summary>The next line.</summary>
    public async Task<(string Event, string Details)> NextAsync()
    {
        var count = _events.Count;
        await ReadUntil(() => _events.Count > count, "a line");
        return _events[count];
    }

    /// <summary>Reads until this exact line has been streamed, for at most <see cref="LocalCluster.Timeout"/>.</summary>
    public Task WaitFor(string @event, string details) =>
        ReadUntil(() => _events.Contains((@event, details)), $"{@event}  {details}");

    /// <summary>Where the line is in the stream (-1: not streamed).</summary>
    public int IndexOf(string @event, string details) => _events.IndexOf((@event, details));

    /// <summary>The lines so far, without their times, for failure messages.</summary>
    public override string ToString() => string.Join("\n", _events.Select(e => $"{e.Event}  {e.Details}"));

    private async Task ReadUntil(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + LocalCluster.Timeout;
        while (!done())
        {
            var left = deadline - DateTime.UtcNow;
            var frame = left > TimeSpan.Zero ? await ReadOrNull(left) : null;
            if (frame is null || !frame.TryGetPropertyValue("out", out var text))
                throw new TimeoutException($"never streamed: {what}; last frame {frame?.ToJsonString() ?? "none"}; streamed:\n{this}");
            foreach (var line in text!.GetValue<string>().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var match = LineShape().Match(line);
                Assert.True(match.Success, $"not a tail line: '{line}'");
                _events.Add((match.Groups["event"].Value, match.Groups["details"].Value));
                _times.Add(DateTimeOffset.ParseExact(match.Groups["time"].Value, "yyyy-MM-dd'T'HH:mm:ss'Z'",
                    System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal));
            }
        }
    }

    private async Task<System.Text.Json.Nodes.JsonObject?> ReadOrNull(TimeSpan timeout)
    {
        try
        {
            return await client.ReadFrameAsync(timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)  (?<event>[a-z-]+)  (?<details>\S.*)$")]
    private static partial Regex LineShape();
}
