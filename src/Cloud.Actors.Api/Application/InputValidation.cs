namespace Cloud.Actors.Api.Application;

/// <summary>
/// Nova's checks on names (1 to 255 characters, printable, no surrounding whitespace) and on free text such as a
/// disabled reason (1 to 255 characters, no control characters, which would reach logs). Anything else is
/// accepted and stored exactly.
/// </summary>
public static class InputValidation
{
    public const int MaxNameLength = 255;

    private static readonly string[] TrueWords = ["True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes"];
    private static readonly string[] FalseWords = ["False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no"];

    /// <summary>What Nova's parameter_types.boolean accepts, as its schema error lists it.</summary>
    public const string BooleanChoices =
        "is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']";

    /// <summary>A string Nova's parameter_types.boolean takes, as true or false; null for any other.</summary>
    public static bool? Boolean(string text) => TrueWords.Contains(text) ? true : FalseWords.Contains(text) ? false : null;

    public static string Name(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value: ''. '' is too short");
        var length = new System.Globalization.StringInfo(value).LengthInTextElements;
        if (value.Length > MaxNameLength * 2 || length > MaxNameLength)
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value is too long ({length} characters, at most {MaxNameLength})");
        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value: '{value}'. Leading and trailing whitespace is not allowed");
        if (value.Any(char.IsControl))
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value contains control characters");
        return value;
    }

    public static string Text(string field, string value)
    {
        var length = new System.Globalization.StringInfo(value).LengthInTextElements;
        if (length == 0)
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value: ''. '' is too short");
        if (value.Length > MaxNameLength * 2 || length > MaxNameLength)
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value is too long ({length} characters, at most {MaxNameLength})");
        if (value.Any(char.IsControl))
            throw new NovaException(400, $"Invalid input for field/attribute {field}. Value contains control characters");
        return value;
    }
}
