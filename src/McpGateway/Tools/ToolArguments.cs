using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace McpGateway.Tools;

/// <summary>
/// A tool's arguments, checked against the tool's own input schema so that what <c>tools/list</c>
/// advertises is exactly what is enforced. Understands the subset of JSON Schema the gateway's schemas
/// use: an object with <c>properties</c> of type string, integer, number or boolean, <c>required</c>,
/// <c>additionalProperties: false</c>, <c>minLength</c>/<c>maxLength</c> (in code points) and
/// <c>minimum</c>/<c>maximum</c>.
/// </summary>
internal sealed class ToolArguments
{
    private const int MaxEchoedLength = 64;

    private readonly JsonElement _arguments;

    private ToolArguments(JsonElement arguments) => _arguments = arguments;

    /// <summary>
    /// Validates <paramref name="arguments"/>; absent arguments (undefined or null) count as an empty
    /// object. The error names the offending argument and says what was expected.
    /// </summary>
    public static bool TryValidate(JsonElement schema, JsonElement arguments, [NotNullWhen(true)] out ToolArguments? validated, [NotNullWhen(false)] out string? error)
    {
        validated = null;
        if (arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            arguments = default;
        }
        else if (arguments.ValueKind != JsonValueKind.Object)
        {
            error = $"The arguments must be a JSON object, got {Describe(arguments.ValueKind)}.";
            return false;
        }

        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (arguments.ValueKind == JsonValueKind.Object)
        {
            foreach (var argument in arguments.EnumerateObject())
            {
                if (!seen.Add(argument.Name))
                {
                    error = $"Argument '{Echo(argument.Name)}' appears more than once.";
                    return false;
                }

                if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(argument.Name, out var propertySchema))
                {
                    if (closed)
                    {
                        error = $"Unknown argument '{Echo(argument.Name)}'; this tool accepts {Accepted(properties)}.";
                        return false;
                    }

                    continue;
                }

                error = CheckValue(argument.Name, propertySchema, argument.Value);
                if (error is not null)
                {
                    return false;
                }
            }
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.GetString() is { } requiredName && !seen.Contains(requiredName))
                {
                    error = $"Missing required argument '{requiredName}'.";
                    return false;
                }
            }
        }

        validated = new ToolArguments(arguments);
        error = null;
        return true;
    }

    /// <summary>A required string argument (validated, so present and a string).</summary>
    public string GetString(string name) => _arguments.GetProperty(name).GetString()!;

    /// <summary>An optional integer argument (validated, so an integral number within the schema's range).</summary>
    public int? GetInt32OrNull(string name)
        => _arguments.ValueKind == JsonValueKind.Object && _arguments.TryGetProperty(name, out var value)
            ? (int)value.GetDouble()
            : null;

    private static string? CheckValue(string name, JsonElement schema, JsonElement value)
    {
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    return $"Argument '{name}' must be a string, got {Describe(value.ValueKind)}.";
                }

                string text;
                try
                {
                    text = value.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return $"Argument '{name}' is not valid Unicode text.";
                }

                var length = CodePoints(text);
                var minLength = Bound(schema, "minLength");
                var maxLength = Bound(schema, "maxLength");
                if (length < minLength || length > maxLength)
                {
                    return length == 0
                        ? $"Argument '{name}' must not be empty."
                        : $"Argument '{name}' must be {Range(minLength, maxLength)} characters long, got {length}.";
                }

                return null;

            case "integer" or "number":
                var integer = type == "integer";
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number)
                    || (integer && Math.Floor(number) != number))
                {
                    return $"Argument '{name}' must be {(integer ? "an integer" : "a number")}, got {Describe(value)}.";
                }

                var minimum = Bound(schema, "minimum");
                var maximum = Bound(schema, "maximum");
                if (number < minimum || number > maximum)
                {
                    return $"Argument '{name}' must be {(integer ? "an integer" : "a number")} {Range(minimum, maximum)}, got {Describe(value)}.";
                }

                return null;

            case "boolean":
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? null
                    : $"Argument '{name}' must be true or false, got {Describe(value.ValueKind)}.";

            default:
                return null;
        }
    }

    private static double? Bound(JsonElement schema, string keyword)
        => schema.TryGetProperty(keyword, out var bound) && bound.ValueKind == JsonValueKind.Number ? bound.GetDouble() : null;

    private static string Range(double? minimum, double? maximum) => (minimum, maximum) switch
    {
        ({ } min, { } max) => string.Create(CultureInfo.InvariantCulture, $"from {min} to {max}"),
        ({ } min, null) => string.Create(CultureInfo.InvariantCulture, $"at least {min}"),
        (null, { } max) => string.Create(CultureInfo.InvariantCulture, $"at most {max}"),
        _ => "in range",
    };

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static string Accepted(JsonElement properties)
    {
        var names = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(p => $"'{p.Name}'").ToList() : [];
        return names.Count == 0 ? "no arguments" : string.Join(", ", names);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Describe(JsonElement value)
        => value.ValueKind == JsonValueKind.Number ? Echo(value.GetRawText()) : Describe(value.ValueKind);

    /// <summary>Caller-supplied text repeated in a message: short, and without control characters.</summary>
    private static string Echo(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxEchoedLength + 1));
        foreach (var c in text.Length > MaxEchoedLength ? text[..MaxEchoedLength] : text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return text.Length > MaxEchoedLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
