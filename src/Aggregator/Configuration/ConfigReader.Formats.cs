using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.XPath;

namespace Aggregator.Configuration;

// The readers for strings with a format of their own: durations, URLs, language tags, time zones, XPath.
internal sealed partial class ConfigReader
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxCacheAge = TimeSpan.FromDays(1);
    public static readonly TimeSpan MinRetention = TimeSpan.FromDays(1);

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

    public TimeSpan? MaxAge(JsonElement value, string path)
    {
        var maxAge = Duration(value, path);
        if (maxAge > MaxCacheAge)
        {
            Report(path, $"maxAge {value.GetString()} is above the 1 day maximum: readers would miss a day of news");
            return null;
        }

        return maxAge;
    }

    public TimeSpan? Retention(JsonElement value, string path)
    {
        var retention = Duration(value, path);
        if (retention < MinRetention)
        {
            Report(path, $"retention {value.GetString()} is below the 1 day minimum: items would vanish while their story is still news");
            return null;
        }

        return retention;
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

    public string? TimeZone(JsonElement value, string path)
    {
        var text = Text(value, path);
        if (text is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(text, out _))
        {
            Report(path, $"'{text}' is not a time zone id such as Europe/Paris or America/Montreal");
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
            Report(path, $"invalid XPath: {ex.Message}");
            return null;
        }
    }

    [GeneratedRegex(@"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
