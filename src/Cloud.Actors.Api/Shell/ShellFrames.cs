using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cloud.Actors.Api.Shell;

/// <summary>
/// The server's side of the wire protocol: newline-terminated JSON objects,
/// <c>{"out":…}</c>, <c>{"err":…}</c>, <c>{"exit":N}</c> and <c>{"palettes":{…}}</c>.
/// </summary>
internal static class ShellFrames
{
    public const string Out = "out";
    public const string Err = "err";

    // Relaxed escaping keeps non-ASCII text readable when someone talks to the
    // shell with netcat; the frames never end up inside HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Text(string kind, string text) =>
        Build(writer => writer.WriteString(kind, text));

    public static byte[] Exit(int code) =>
        Build(writer => writer.WriteNumber("exit", code));

    public static byte[] Palettes(IReadOnlyDictionary<string, IReadOnlyList<string>> palettes) =>
        Build(writer =>
        {
            writer.WriteStartObject("palettes");
            foreach (var (palette, commands) in palettes)
            {
                writer.WriteStartArray(palette);
                foreach (var command in commands)
                    writer.WriteStringValue(command);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        });

    private static byte[] Build(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
