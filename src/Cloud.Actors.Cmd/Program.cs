using Cloud.Actors.Cmd;

// Cloud.Actors.Cmd [HOST:PORT] PALETTE COMMAND [ARGS...]   one command, exit with its code
// Cloud.Actors.Cmd [HOST:PORT]                              interactive prompt
// Without HOST:PORT: $CLOUD_ACTORS_SHELL, else 127.0.0.1:9110.
ShellEndpoint endpoint;
IReadOnlyList<string> words;
try
{
    (endpoint, words) = ShellEndpoint.FromArguments(
        args, Environment.GetEnvironmentVariable(ShellEndpoint.EnvironmentVariable));
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return ExitCodes.ClientError;
}

return words.Count == 0
    ? await new InteractiveShell(endpoint).RunAsync()
    : await OneShotCommand.RunAsync(endpoint, words);
