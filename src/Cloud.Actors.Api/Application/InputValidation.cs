namespace Cloud.Actors.Api.Application;

/// <summary>
/// Nova's checks on names (1 to 255 characters, printable, no surrounding whitespace) and on free text such as a
/// disabled reason (1 to 255 characters, no control characters, which would reach logs). Anything else is
/// accepted and stored exactly.
/// </summary>
public static class InputValidation
{
    public const int MaxNameLength = 255;

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
