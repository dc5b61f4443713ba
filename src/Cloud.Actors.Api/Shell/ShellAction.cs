using System.CommandLine;
using Cloud.Actors.Api.Application;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// How a palette over the application layer runs a command: its body writes to the client's output, and a
/// refusal is printed as novaclient prints one (<c>ERROR (NotFound): ... (HTTP 404)</c>) with exit code 1.
/// </summary>
public static class ShellAction
{
    public static async Task<int> Run(ParseResult pr, Func<TextWriter, Task<int>> body)
    {
        try
        {
            return await body(pr.InvocationConfiguration.Output);
        }
        catch (NovaException e)
        {
            await pr.InvocationConfiguration.Error.WriteLineAsync($"ERROR ({ErrorName(e.Code)}): {e.Message} (HTTP {e.Code})");
            return 1;
        }
        catch (Akka.Actor.AskTimeoutException)
        {
            await pr.InvocationConfiguration.Error.WriteLineAsync("ERROR (ServiceUnavailable): the cloud did not answer in time; try again (HTTP 503)");
            return 1;
        }
    }

    /// <summary>A two-column Property | Value table, as novaclient and glanceclient print one record.</summary>
    public static string PropertyTable(IEnumerable<(string Property, string Value)> rows)
    {
        var table = new TextTable("Property", "Value");
        foreach (var (property, value) in rows) table.AddRow(property, value);
        return table.Render() + "\n";
    }

    private static string ErrorName(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        413 => "RequestEntityTooLarge",
        503 => "ServiceUnavailable",
        _ => "ClientException",
    };
}
