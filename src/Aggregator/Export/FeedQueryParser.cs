using System.Globalization;
using System.Text.RegularExpressions;
using Aggregator.Configuration;
using Aggregator.Deduplication;
using Microsoft.Extensions.Primitives;

namespace Aggregator.Export;

/// <summary>A parsed query string: the variant asked for, or the message a 400 answers with.</summary>
internal sealed record FeedQueryResult(FeedQuery? Query, string? Error)
{
    public static FeedQueryResult Invalid(string message) => new(null, message);
}

/// <summary>
/// Reads the feed endpoints' query parameters. Anything it does not know, or cannot read, is refused with a
/// message naming the parameter: a typo silently ignored would serve the whole feed to a filtered subscription.
/// </summary>
internal static partial class FeedQueryParser
{
    public const int MaxLimit = 500;
    private const int MaxTextLength = 200;

    public static readonly string[] Parameters = ["category", "feed", "lang", "q", "since", "limit", "before", "after"];

    /// <param name="pathCategory">The category of a /c/{category} path, if the request came that way.</param>
    public static FeedQueryResult Parse(IEnumerable<KeyValuePair<string, StringValues>> parameters, string? pathCategory, AggregatorConfig config, DateTimeOffset now)
    {
        var query = FeedQuery.All;
        if (pathCategory is not null)
        {
            var slug = FeedQuery.Slug(pathCategory);
            if (slug.Length == 0)
            {
                return FeedQueryResult.Invalid($"category '{pathCategory}' has no letters or digits");
            }

            query = query with { Category = slug, CategoryInPath = true };
        }

        foreach (var (name, values) in parameters)
        {
            if (!Parameters.Contains(name, StringComparer.Ordinal))
            {
                return FeedQueryResult.Invalid($"unknown parameter '{name}': expected one of {string.Join(", ", Parameters)}");
            }

            if (values.Count != 1)
            {
                return FeedQueryResult.Invalid($"parameter '{name}' is given {values.Count} times: give it once");
            }

            var value = values[0]?.Trim() ?? "";
            if (value.Length == 0)
            {
                return FeedQueryResult.Invalid($"parameter '{name}' needs a value");
            }

            if (value.Length > MaxTextLength)
            {
                return FeedQueryResult.Invalid($"parameter '{name}' is longer than {MaxTextLength} characters");
            }

            var (next, error) = Apply(query, name, value, config, now);
            if (error is not null)
            {
                return FeedQueryResult.Invalid($"parameter '{name}': {error}");
            }

            query = next;
        }

        return new FeedQueryResult(query, null);
    }

    private static (FeedQuery Query, string? Error) Apply(FeedQuery query, string name, string value, AggregatorConfig config, DateTimeOffset now)
    {
        switch (name)
        {
            case "category":
                if (query.CategoryInPath)
                {
                    return (query, "the path already names the category");
                }

                var slug = FeedQuery.Slug(value);
                return slug.Length == 0 ? (query, $"'{value}' has no letters or digits") : (query with { Category = slug }, null);
            case "feed":
                return config.Feeds.Any(f => f.Id == value)
                    ? (query with { Feed = value }, null)
                    : (query, $"no feed has the id '{value}'");
            case "lang":
                return LanguageTag().IsMatch(value)
                    ? (query with { Language = value.ToLowerInvariant() }, null)
                    : (query, $"'{value}' is not a language tag such as fr or fr-CA");
            case "q":
                var words = TextNormalizer.Words(value);
                return words.Count == 0 ? (query, $"'{value}' has no words to search for") : (query with { Words = words }, null);
            case "since":
                return Since(value, now) is { } since
                    ? (query with { Since = since.Time, SinceText = since.Text }, null)
                    : (query, $"'{value}' is neither an ISO 8601 date or time (2015-11-13, 2015-11-13T17:30:00Z) nor a duration ({DurationParser.Hint})");
            case "limit":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit
                    ? (query with { Limit = limit }, null)
                    : (query, $"'{value}' is not a whole number from 1 to {MaxLimit}");
            default:
                if (query.Page is not null)
                {
                    return (query, "give either before or after, not both");
                }

                return PageAnchor.TryParse(name == "before", value, out var anchor)
                    ? (query with { Page = anchor }, null)
                    : (query, $"'{value}' is not a page anchor such as 20151113T173000.000Z-0123abcd (follow the feed's links)");
        }
    }

    /// <summary>A duration counts back from now, rounded down to the minute so requests within a minute share a rendering.</summary>
    private static (DateTime Time, string Text)? Since(string value, DateTimeOffset now)
    {
        if (DurationParser.TryParse(value, out var duration))
        {
            var time = now.UtcDateTime - duration;
            return (new DateTime(time.Ticks - (time.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc), value);
        }

        // A '+' in a query string arrives as a space: "2015-11-13T17:30:00 01:00" meant +01:00.
        var match = IsoDate().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var sign = match.Groups["sign"];
        var text = sign.Value == " " ? string.Concat(value.AsSpan(0, sign.Index), "+", value.AsSpan(sign.Index + 1)) : value;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return null;
        }

        var utc = parsed.UtcDateTime;
        return (utc, utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|(?<sign>[+\- ])\d{2}:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
