using System.Globalization;
using System.Xml.Linq;

namespace Aggregator.Parsing;

/// <summary>How often a feed says it changes: RSS <c>&lt;ttl&gt;</c> and the syndication module's update period.</summary>
internal static class FeedHints
{
    public static readonly XNamespace Syndication = "http://purl.org/rss/1.0/modules/syndication/";

    /// <summary>The longest interval the feed asks for, or null when it gives none we can read.</summary>
    public static TimeSpan? UpdateInterval(XElement channel)
    {
        var ttl = Minutes(FeedXml.ChildText(channel, "ttl", XNamespace.None, FeedXml.Rss10));
        var syndication = SyndicationInterval(channel);
        return (ttl, syndication) switch
        {
            (null, null) => null,
            ({ } t, null) => t,
            (null, { } s) => s,
            ({ } t, { } s) => t > s ? t : s,
        };
    }

    private static TimeSpan? Minutes(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes > 0
            ? TimeSpan.FromMinutes(minutes)
            : null;

    private static TimeSpan? SyndicationInterval(XElement channel)
    {
        var period = FeedXml.ChildText(channel, "updatePeriod", Syndication)?.ToLowerInvariant() switch
        {
            "hourly" => TimeSpan.FromHours(1),
            "daily" => TimeSpan.FromDays(1),
            "weekly" => TimeSpan.FromDays(7),
            "monthly" => TimeSpan.FromDays(30),
            "yearly" => TimeSpan.FromDays(365),
            _ => (TimeSpan?)null,
        };
        if (period is null)
        {
            return null;
        }

        // updateFrequency is how many times per period; absent or unreadable means once.
        var frequency = int.TryParse(FeedXml.ChildText(channel, "updateFrequency", Syndication), NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;
        return period.Value / frequency;
    }
}
