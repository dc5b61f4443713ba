namespace Cloud.Actors.Cmd;

/// <summary>
/// <c>nova keypair-add --pub-key FILE name</c> names a file on the operator's machine,
/// which the node cannot read; the client sends the file's contents instead, as
/// <c>--pub-key-data CONTENTS</c>.
/// </summary>
internal static class PublicKeyArguments
{
    private const string FileOption = "--pub-key";
    private const string DataOption = "--pub-key-data";

    /// <exception cref="PublicKeyFileException">A named file cannot be read.</exception>
    public static IReadOnlyList<string> Inline(IReadOnlyList<string> args)
    {
        var rewritten = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                rewritten.AddRange(args.Skip(i));
                break;
            }
            if (arg == FileOption && i + 1 < args.Count)
            {
                rewritten.Add(DataOption);
                rewritten.Add(Read(args[++i]));
            }
            else if (arg.StartsWith(FileOption + "=", StringComparison.Ordinal))
            {
                rewritten.Add(DataOption);
                rewritten.Add(Read(arg[(FileOption.Length + 1)..]));
            }
            else
            {
                rewritten.Add(arg);
            }
        }
        return rewritten;
    }

    private static string Read(string path)
    {
        // The interactive prompt has no shell in front of it to expand "~".
        var resolved = path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
        try
        {
            return File.ReadAllText(resolved);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PublicKeyFileException($"cannot read the public key file '{path}': {ex.Message}", ex);
        }
    }
}
