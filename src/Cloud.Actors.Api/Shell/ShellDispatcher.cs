using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// Turns one shell request (the words after the client's endpoint) into a run of a
/// palette command. The command tree is built once; every request parses against it
/// and runs with its own output/error writers, so concurrent sessions never share output.
/// </summary>
public sealed class ShellDispatcher
{
    /// <summary>Exit code of a command stopped because its caller went away or the node is stopping.</summary>
    public const int CancelledExitCode = 130;

    private const string RootName = "cloud-actors";

    // Help is rendered on the node, whose console width says nothing about the
    // operator's terminal; a fixed width keeps it stable.
    private const int HelpWidth = 100;

    private readonly Command _root;
    private readonly ILogger _logger;

    // Response files ("@path") would let a remote caller make the node read its own
    // local files into the argument list; the shell has no use for them.
    private readonly ParserConfiguration _parser = new() { ResponseFileTokenReplacer = null };

    public ShellDispatcher(IEnumerable<IShellPalette> palettes, ILogger<ShellDispatcher>? logger = null)
    {
        _logger = logger ?? NullLogger<ShellDispatcher>.Instance;
        _root = new Command(RootName, "Cloud.Actors management shell. Usage: <palette> <command> [arguments]");
        _root.Options.Add(new HelpOption { Action = new HelpAction { MaxWidth = HelpWidth } });

        var names = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var palette in palettes)
        {
            var command = palette.Build();
            if (command.Name != palette.Name)
                throw new InvalidOperationException(
                    $"palette '{palette.Name}' built a command named '{command.Name}'; they must match");
            if (names.ContainsKey(palette.Name))
                throw new InvalidOperationException($"two palettes are named '{palette.Name}'");
            command.Description ??= palette.Description;
            _root.Subcommands.Add(command);
            names[palette.Name] = command.Subcommands
                .Where(c => !c.Hidden)
                .Select(c => c.Name)
                .ToArray();
        }
        Palettes = names;
    }

    /// <summary>Palette name → its command names, for help and tab completion.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Palettes { get; }

    /// <summary>
    /// Runs one request. Output and errors go to the given writers; the result is the
    /// command's exit code (1 for unknown words, bad arguments or a failing command,
    /// <see cref="CancelledExitCode"/> when <paramref name="ct"/> stopped it).
    /// Never throws for anything the command does.
    /// </summary>
    public async Task<int> ExecuteAsync(
        IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        args = WithHelpWordAsOption(args);
        if (FindUnknownWord(args) is { } unknown)
        {
            await error.WriteLineAsync(unknown);
            return 1;
        }

        var parsed = _root.Parse(args, _parser);
        if (parsed.Action is ParseErrorAction)
        {
            // System.CommandLine's own error action would also dump the whole help text
            // and colour the *node's* console; the messages alone name the bad token.
            foreach (var parseError in parsed.Errors)
                await error.WriteLineAsync(parseError.Message);
            await error.WriteLineAsync($"See '{HelpHint(args)}'.");
            return 1;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // The default handler prints full stack traces; the operator gets the message,
            // the node's log gets the exception.
            EnableDefaultExceptionHandler = false,
            // Otherwise System.CommandLine hooks Ctrl+C/SIGTERM of the node process itself.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled");
            return CancelledExitCode;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Shell command '{Command}' failed", string.Join(' ', args));
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    // "help", "help nova", "" read naturally in an interactive shell; System.CommandLine
    // only knows the option.
    private static IReadOnlyList<string> WithHelpWordAsOption(IReadOnlyList<string> args) =>
        args switch
        {
            [] => ["--help"],
            ["help", ..] => [.. args.Skip(1), "--help"],
            _ => args,
        };

    // System.CommandLine reports an unknown palette as "Required command was not
    // provided" plus "Unrecognized command or argument"; one sentence that names the
    // token and lists what exists is what an operator needs.
    private string? FindUnknownWord(IReadOnlyList<string> args)
    {
        var first = args[0];
        if (IsOption(first))
            return null;
        var palette = _root.Subcommands.FirstOrDefault(c => c.Name == first || c.Aliases.Contains(first));
        if (palette is null)
            return $"unknown palette '{first}'; palettes: {string.Join(", ", Palettes.Keys)}";
        if (palette.Subcommands.Count == 0)
            return null;

        var commands = string.Join(", ", Palettes[palette.Name]);
        if (args.Count == 1)
            return palette.Action is null ? $"'{palette.Name}' needs a command: {commands}" : null;
        var second = args[1];
        if (IsOption(second) || palette.Subcommands.Any(c => c.Name == second || c.Aliases.Contains(second)))
            return null;
        return palette.Arguments.Count > 0
            ? null
            : $"unknown command '{second}' in palette '{palette.Name}'; commands: {commands}";
    }

    private static bool IsOption(string token) => token.StartsWith('-');

    private static string HelpHint(IReadOnlyList<string> args) =>
        string.Join(' ', args.TakeWhile(a => !IsOption(a)).Take(2).Append("--help"));
}
