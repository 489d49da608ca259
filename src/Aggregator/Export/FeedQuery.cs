using System.Globalization;
using System.Text;
using Aggregator.Deduplication;

namespace Aggregator.Export;

/// <summary>
/// Where an archive page starts: the story just outside it, by published time then id. A page holds the stories
/// strictly older (<c>before</c>) or strictly newer (<c>after</c>) than its anchor, so newer stories arriving never
/// change an older page.
/// </summary>
internal sealed record PageAnchor(bool Older, DateTime Published, string StoryId)
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'.'fff'Z'";

    /// <summary>The query parameter that carries the anchor.</summary>
    public string Parameter => Older ? "before" : "after";

    /// <summary>The anchor as it appears in links: 20151113T173000.000Z-{story id}.</summary>
    public string Text => Published.ToString(TimeFormat, CultureInfo.InvariantCulture) + "-" + StoryId;

    public static bool TryParse(bool older, string text, out PageAnchor? anchor)
    {
        anchor = null;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || dash == text.Length - 1 || text.Length - dash > 65)
        {
            return false;
        }

        var id = text[(dash + 1)..];
        if (!id.All(char.IsAsciiHexDigitLower)
            || !DateTime.TryParseExact(text[..dash], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var published))
        {
            return false;
        }

        anchor = new PageAnchor(older, DateTime.SpecifyKind(published, DateTimeKind.Utc), id);
        return true;
    }

    public static PageAnchor Before(StoryEntry entry) => new(true, Truncate(entry.Published), entry.Id);

    public static PageAnchor After(StoryEntry entry) => new(false, Truncate(entry.Published), entry.Id);

    /// <summary>An anchor just past a story, in either direction: where a walk that stopped there goes on.</summary>
    public static PageAnchor Past(bool older, DateTime published, string storyId) => new(older, Truncate(published), storyId);

    /// <summary>LiteDB keeps dates to the millisecond; anchors do as well, so an anchor names a stored story exactly.</summary>
    public static DateTime Truncate(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}

/// <summary>
/// One variant of the combined feed: filters, page size and archive page, as parsed from a request. Its
/// <see cref="Key"/> names the variant in the render cache and its <see cref="QueryString"/> in links.
/// </summary>
internal sealed record FeedQuery
{
    public static readonly FeedQuery All = new();

    /// <summary>A category slug (see <see cref="Slug"/>): matches the feed's category or one of the item's.</summary>
    public string? Category { get; init; }

    /// <summary>The category came from the path (/c/{category}.atom), so links keep it there.</summary>
    public bool CategoryInPath { get; init; }

    public string? Feed { get; init; }

    /// <summary>A language tag in lower case: fr matches fr and fr-CA.</summary>
    public string? Language { get; init; }

    /// <summary>The folded words of <c>q</c>, every one of which must be a word of the title or the text.</summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    /// <summary>The <c>since</c> parameter as the reader wrote it (a duration stays relative in links).</summary>
    public string? SinceText { get; init; }

    /// <summary>The <c>since</c> parameter resolved to a UTC time, rounded down to the minute for durations.</summary>
    public DateTime? Since { get; init; }

    public int? Limit { get; init; }

    public PageAnchor? Page { get; init; }

    public bool IsFiltered => Category is not null || Feed is not null || Language is not null || Words.Count > 0 || Since is not null;

    /// <summary>The normalised query string, parameters in a fixed order; empty for the plain feed.</summary>
    public string QueryString
    {
        get
        {
            var parts = new List<string>();
            if (Category is not null && !CategoryInPath)
            {
                parts.Add("category=" + Uri.EscapeDataString(Category));
            }

            Add(parts, "feed", Feed);
            Add(parts, "lang", Language);
            Add(parts, "q", Words.Count > 0 ? string.Join(' ', Words) : null);
            Add(parts, "since", SinceText);
            Add(parts, "limit", Limit?.ToString(CultureInfo.InvariantCulture));
            if (Page is not null)
            {
                parts.Add(Page.Parameter + "=" + Page.Text);
            }

            return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
        }
    }

    /// <summary>The variant's name in the cache: the path, the query, and the resolved since time (durations move with the clock).</summary>
    public string Key => (CategoryInPath ? "c/" + Category : "") + QueryString + (Since is { } since ? "@" + since.Ticks.ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>The address of this variant in a format, relative to the output link.</summary>
    public string RelativeUrl(ExportFormat format) => Path(format) + QueryString;

    public string Path(ExportFormat format) =>
        CategoryInPath ? $"c/{Category}{System.IO.Path.GetExtension(FeedFormats.FileName(format))}" : FeedFormats.FileName(format);

    /// <summary>
    /// A category as compared and as it appears in paths: folded like the deduplication folds words (lower case,
    /// accents dropped), every run of other characters one hyphen. « Moyen-Orient », « moyen orient » → moyen-orient.
    /// </summary>
    public static string Slug(string category)
    {
        var builder = new StringBuilder(category.Length);
        Span<char> folded = stackalloc char[CharFolding.MaxLength];
        var gap = false;
        foreach (var c in category)
        {
            if (!char.IsLetterOrDigit(c))
            {
                gap = builder.Length > 0;
                continue;
            }

            var length = CharFolding.Fold(c, folded);
            if (length == 0)
            {
                continue;
            }

            if (gap)
            {
                builder.Append('-');
                gap = false;
            }

            builder.Append(folded[..length]);
        }

        return builder.ToString();
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
