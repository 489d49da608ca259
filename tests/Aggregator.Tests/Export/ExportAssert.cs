using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Tests.Export;

/// <summary>Date and link checks the three export formats share.</summary>
internal static partial class ExportAssert
{
    /// <summary>An RFC 3339 date-time, parsed; fails when the text is any other shape.</summary>
    public static DateTimeOffset Rfc3339(string? text)
    {
        Assert.NotNull(text);
        Assert.Matches(Rfc3339Pattern(), text);
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    /// <summary>An RFC 822 date as RSS 2.0 wants it (four-digit year, numeric zone), parsed.</summary>
    public static DateTimeOffset Rfc822(string? text)
    {
        Assert.NotNull(text);
        Assert.Matches(Rfc822Pattern(), text);
        return DateTimeOffset.ParseExact(text, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture);
    }

    public static Uri AbsoluteHttp(string? text)
    {
        Assert.True(Uri.TryCreate(text, UriKind.Absolute, out var uri), $"not an absolute URI: {text}");
        Assert.True(uri.Scheme is "http" or "https", $"not an http(s) URI: {text}");
        return uri;
    }

    public static void NewestFirst(IReadOnlyList<DateTimeOffset> dates)
    {
        Assert.NotEmpty(dates);
        Assert.Equal(dates.OrderByDescending(d => d), dates);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339Pattern();

    [GeneratedRegex(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")]
    private static partial Regex Rfc822Pattern();
}
