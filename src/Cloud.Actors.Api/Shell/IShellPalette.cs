using System.CommandLine;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// A named group of shell commands (Petabridge.Cmd's "command palette"):
/// <c>nova</c>, <c>cluster</c>, <c>host</c> ... Register implementations as
/// <see cref="IShellPalette"/> singletons; <see cref="ShellDispatcher"/> mounts each
/// one under its name.
/// </summary>
/// <remarks>
/// Actions run on the node, not on the operator's terminal: they must write through
/// <c>parseResult.InvocationConfiguration.Output</c> / <c>.Error</c> (which stream back to
/// the client) and honour the <see cref="CancellationToken"/>, which fires when the
/// client disconnects or presses Ctrl+C.
/// </remarks>
public interface IShellPalette
{
    /// <summary>The first word of every command in this palette, e.g. <c>nova</c>.</summary>
    string Name { get; }

    /// <summary>One line shown in the shell's help next to <see cref="Name"/>.</summary>
    string Description { get; }

    /// <summary>A fresh command named <see cref="Name"/> whose subcommands are the palette's commands.</summary>
    Command Build();
}
