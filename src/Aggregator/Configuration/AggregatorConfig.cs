using Aggregator.Deduplication;

namespace Aggregator.Configuration;

/// <summary>The admins' feeds.json, validated: every value here has passed <see cref="ConfigLoader"/>.</summary>
internal sealed record AggregatorConfig(FeedDefaults Defaults, OutputSettings Output, IReadOnlyList<FeedConfig> Feeds)
{
    /// <summary>How copies of the same dispatch are recognised across outlets.</summary>
    public DeduplicationSettings Deduplication { get; init; } = new();

    /// <summary>How hard we may press on the outlets' servers.</summary>
    public FetchingSettings Fetching { get; init; } = new();

    /// <summary>How long items are kept after publication; an item its feed still lists is kept longer.</summary>
    public TimeSpan Retention { get; init; } = DefaultRetention;

    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(30);

    public IEnumerable<FeedConfig> EnabledFeeds => Feeds.Where(f => f.Enabled);
}

/// <summary>Values a feed inherits when it does not set its own.</summary>
internal sealed record FeedDefaults
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public string Language { get; init; } = "fr";
    public long MaxBytes { get; init; } = 10 * 1024 * 1024;
}

/// <summary>Politeness limits: fetches at once overall and per host, and the longest a failing feed is left alone.</summary>
internal sealed record FetchingSettings
{
    public const int DefaultMaxConcurrent = 8;

    public int MaxConcurrent { get; init; } = DefaultMaxConcurrent;
    public int MaxPerHost { get; init; } = 2;
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromHours(6);
}

/// <summary>How the combined feed presents itself.</summary>
internal sealed record OutputSettings
{
    public string Title { get; init; } = "Aggregator";
    public Uri Link { get; init; } = new("http://localhost:5080/");
    public int MaxItems { get; init; } = 100;
    public string Language { get; init; } = "fr";

    /// <summary>The IANA zone the web page shows times in.</summary>
    public string TimeZone { get; init; } = "Europe/Paris";

    /// <summary>How long readers and proxies may keep a rendered feed (Cache-Control: max-age).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A WebSub hub: feeds link to it and it is pinged when the combined feed changes.</summary>
    public Uri? Hub { get; init; }

    /// <summary>A folder the feeds are written to as static files on every change of the store.</summary>
    public string? Directory { get; init; }
}

/// <summary>Per-feed XPath rules for the cleaner: the article's root, and blocks to drop.</summary>
internal sealed record CleanRules(string? Content, IReadOnlyList<string> Remove);

/// <summary>One source, with the defaults already applied.</summary>
internal sealed record FeedConfig
{
    public required string Id { get; init; }
    public required Uri Url { get; init; }
    public required string Name { get; init; }
    public string? Category { get; init; }
    public string Language { get; init; } = "fr";
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public long MaxBytes { get; init; } = 10 * 1024 * 1024;
    public bool Enabled { get; init; } = true;
    public CleanRules? Clean { get; init; }
    public bool FullText { get; init; }
    public bool AllowPrivate { get; init; }
    public int Priority { get; init; }
}
