using System.Globalization;
using System.Text.Json;

namespace Aggregator.Configuration;

/// <summary>
/// Reads typed values out of one feeds.json document, recording a problem (with its path and line)
/// for each value that does not fit, so that validation goes on and every problem is reported.
/// </summary>
internal sealed partial class ConfigReader(JsonLineMap lines)
{
    private readonly List<ConfigProblem> problems = [.. lines.Problems];

    public IReadOnlyList<ConfigProblem> Problems => problems;

    public void Report(string path, string message) => problems.Add(new ConfigProblem(path, lines.LineOf(path), message));

    /// <summary>The object's properties by name (first wins on duplicates), after reporting unknown keys.</summary>
    public Dictionary<string, JsonElement>? Object(JsonElement value, string path, IReadOnlySet<string> known)
    {
        if (!Expect(value, JsonValueKind.Object, path))
        {
            return null;
        }

        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                Report(JsonLineMap.Property(path, property.Name), UnknownKey(property.Name, known));
            }
            else
            {
                properties.TryAdd(property.Name, property.Value);
            }
        }

        return properties;
    }

    public string? Text(JsonElement value, string path)
    {
        if (!Expect(value, JsonValueKind.String, path))
        {
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            Report(path, "must not be empty");
            return null;
        }

        return text;
    }

    public bool? Flag(JsonElement value, string path)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Report(path, $"expected true or false, found {Describe(value)}");
        return null;
    }

    public long? Integer(JsonElement value, string path, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Report(path, $"expected a whole number, found {Describe(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            Report(path, $"must be between {min} and {max}, found {number}");
            return null;
        }

        return number;
    }

    public double? Number(JsonElement value, string path, double min, double max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            Report(path, $"expected a number, found {Describe(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            Report(path, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be between {min} and {max}, found {number}"));
            return null;
        }

        return number;
    }

    public bool Expect(JsonElement value, JsonValueKind kind, string path)
    {
        if (value.ValueKind == kind)
        {
            return true;
        }

        Report(path, $"expected {Describe(kind)}, found {Describe(value)}");
        return false;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => $"{Describe(value.ValueKind)} {value.GetRawText()}",
        _ => Describe(value.ValueKind),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string UnknownKey(string name, IReadOnlySet<string> known)
    {
        var close = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        var hint = close is not null ? $"did you mean '{close}'?" : $"expected one of {string.Join(", ", known)}";
        return $"unknown key '{name}': {hint}";
    }
}
