using System.CommandLine;
using Akka.Actor;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// <c>actor hierarchy</c>: the live actors of this node as a tree of paths, as Petabridge.Cmd's actor palette
/// shows it: on a controller the singletons, the catalog and the image service; on a compute host its compute
/// actor, one child per instance and each instance's console tailer.
/// </summary>
public sealed class ActorPalette(ActorSystem system) : IShellPalette
{
    public string Name => "actor";

    public string Description => "This node's actors: hierarchy";

    public Command Build() => new(Name, Description) { BuildHierarchy() };

    private Command BuildHierarchy()
    {
        var depth = new Option<int?>("--depth", "-d") { Description = "Levels to show below /user (and /system); all when not given." };
        var includeSystem = new Option<bool>("--system") { Description = "Also show Akka's own actors under /system." };
        var max = new Option<int>("--max")
        {
            Description = "List at most this many actors and count the rest (a host may run thousands of instances).",
            DefaultValueFactory = _ => 1000,
        };
        var hierarchy = new Command("hierarchy", "The live actors of this node, one path per line, children under their parent")
        {
            depth, includeSystem, max,
        };
        hierarchy.SetAction(async (ParseResult parsed, CancellationToken ct) =>
        {
            var levels = parsed.GetValue(depth);
            var limit = parsed.GetValue(max);
            if (levels < 0 || limit < 1)
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync("--depth must be 0 or more and --max 1 or more");
                return 1;
            }
            var extended = (ExtendedActorSystem)system;
            var roots = parsed.GetValue(includeSystem) ? new[] { extended.Guardian, extended.SystemGuardian } : [extended.Guardian];
            var output = parsed.InvocationConfiguration.Output;
            var (listed, total) = (0, 0);
            foreach (var root in roots)
            foreach (var (actor, level) in Walk(root, 0, levels ?? int.MaxValue))
            {
                ct.ThrowIfCancellationRequested();
                total++;
                if (listed >= limit) continue;
                listed++;
                await output.WriteLineAsync(new string(' ', 2 * level) + actor.Path.ToStringWithoutAddress());
            }
            await output.WriteLineAsync(total > listed
                ? $"{total} actors ({total - listed} more not listed; raise --max to see them)"
                : $"{total} actors");
            return 0;
        });
        return hierarchy;
    }

    /// <summary>
    /// Depth first, children by name. Reads each local actor's children as they are at that moment (Akka's
    /// ActorRefWithCell), so a child starting or stopping meanwhile may or may not be listed.
    /// </summary>
    private static IEnumerable<(IActorRef Actor, int Level)> Walk(IActorRef actor, int level, int maxLevel)
    {
        yield return (actor, level);
        if (level >= maxLevel || actor is not ActorRefWithCell parent) yield break;
        foreach (var child in parent.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).ToList())
        foreach (var descendant in Walk(child, level + 1, maxLevel))
            yield return descendant;
    }
}
