using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.XPath;

namespace Aggregator.Configuration;

/// <summary>
/// Reads typed values out of one feeds.json document, recording a problem (with its path and line)
/// for each value that does not fit, so that validation goes on and every problem is reported.
/// </summary>
internal sealed partial class ConfigReader(JsonLineMap lines)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

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
        if (!Expect(value, JsonValueKind.Number, path))
        {
            return null;
        }

        if (!value.TryGetInt64(out var number))
        {
            Report(path, $"expected a whole number between {min} and {max}, found {value.GetRawText()}");
            return null;
        }

        if (number < min || number > max)
        {
            Report(path, $"must be between {min} and {max}, found {number}");
            return null;
        }

        return number;
    }

    public TimeSpan? Duration(JsonElement value, string path)
    {
        if (!Expect(value, JsonValueKind.String, path))
        {
            return null;
        }

        var text = value.GetString();
        if (!DurationParser.TryParse(text, out var duration))
        {
            Report(path, $"'{text}' is not a positive duration: {DurationParser.Hint}");
            return null;
        }

        return duration;
    }

    public TimeSpan? Interval(JsonElement value, string path)
    {
        var interval = Duration(value, path);
        if (interval < MinInterval)
        {
            Report(path, $"interval {value.GetString()} is below the 1 minute minimum: outlets throttle clients that poll faster");
            return null;
        }

        return interval;
    }

    public TimeSpan? Timeout(JsonElement value, string path)
    {
        var timeout = Duration(value, path);
        if (timeout > MaxTimeout)
        {
            Report(path, $"timeout {value.GetString()} is above the 10 minute maximum");
            return null;
        }

        return timeout;
    }

    public Uri? HttpUrl(JsonElement value, string path)
    {
        var text = Text(value, path);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            Report(path, $"'{text}' is not an absolute http or https URL");
            return null;
        }

        return uri;
    }

    public string? Language(JsonElement value, string path)
    {
        var text = Text(value, path);
        if (text is not null && !LanguageTag().IsMatch(text))
        {
            Report(path, $"'{text}' is not a language tag such as fr or fr-CA");
            return null;
        }

        return text;
    }

    public string? XPath(JsonElement value, string path)
    {
        var text = Text(value, path);
        if (text is null)
        {
            return null;
        }

        try
        {
            XPathExpression.Compile(text);
            return text;
        }
        catch (XPathException ex)
        {
            Report(path, $"invalid XPath '{text}': {ex.Message}");
            return null;
        }
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

    [GeneratedRegex(@"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
