using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>
/// Whether a story belongs to a filtered variant. A story is judged by its canonical item alone: its feed, that
/// feed's language, the feed's category or the item's own categories, its title and text. Another outlet's copy
/// does not pull a story into that outlet's feed, so each story appears in one outlet's feed only. One filter
/// serves one walk, on one thread (its search keeps the words found so far).
/// </summary>
internal sealed class StoryFilter(FeedQuery query, AggregatorConfig config)
{
    private readonly Dictionary<string, FeedConfig> feeds = config.Feeds.ToDictionary(f => f.Id);

    private readonly WordSearch? search = query.Words.Count > 0 ? new WordSearch(query.Words) : null;

    /// <summary>Whether the filter reads the items' text (a search): every item it examines is unpacked.</summary>
    public bool ReadsText => search is not null;

    public bool Matches(StoredItem canonical)
    {
        var feed = feeds.GetValueOrDefault(canonical.FeedId);
        if (query.Feed is not null && canonical.FeedId != query.Feed)
        {
            return false;
        }

        if (query.Language is { } language && !LanguageMatches(language, feed?.Language ?? config.Defaults.Language))
        {
            return false;
        }

        if (query.Category is { } category && !InCategory(category, feed, canonical))
        {
            return false;
        }

        return search is null || search.FoundIn(canonical.Title, canonical.BodyText);
    }

    /// <summary>The category as a feed or an item spells it, for titles: the first spelling whose slug matches.</summary>
    public string? CategoryName(IEnumerable<StoredItem> items)
    {
        if (query.Category is not { } category)
        {
            return null;
        }

        return config.Feeds.Select(f => f.Category).Concat(items.SelectMany(i => i.Categories))
            .FirstOrDefault(name => name is not null && FeedQuery.Slug(name) == category);
    }

    /// <summary>lang=fr takes fr and fr-CA; lang=fr-ca takes fr-CA only.</summary>
    private static bool LanguageMatches(string wanted, string language) =>
        language.Equals(wanted, StringComparison.OrdinalIgnoreCase)
        || (language.Length > wanted.Length && language[wanted.Length] == '-' && language.StartsWith(wanted, StringComparison.OrdinalIgnoreCase));

    private static bool InCategory(string category, FeedConfig? feed, StoredItem item) =>
        (feed?.Category is { } feedCategory && FeedQuery.Slug(feedCategory) == category)
        || item.Categories.Any(c => FeedQuery.Slug(c) == category);
}
