using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>
/// Gathers one variant of the combined feed from the store: the stories that pass its filters, newest first,
/// one page of them, and where the older and newer pages start. Stories are ordered by published time, then
/// id, so every story has one place and a reader following the older links sees each story once.
/// </summary>
internal sealed class FeedAssembler(ItemStore store, TimeProvider time)
{
    private const int FirstBatch = 64;
    private const int MaxBatch = 4096;
    private const int ChunkSize = 128;

    // A search unpacks every item it examines and drops nearly all: smaller chunks hold fewer of them at once, so
    // fewer outlive a collection into the older generations (a million-item store's search: tests/Aggregator.Benchmarks/HISTORY.md).
    private const int SearchChunkSize = 32;

    // A search's stories come with their canonical items (ItemStore.LatestStories), so its batches stay small.
    private const int MaxSearchBatch = 256;

    // Enough for the pages readers poll (an entry with its item and renderings is ~25 KB); past it the memory is
    // simply dropped and refilled from the store.
    private const int MaxRemembered = 2048;

    /// <summary>Stories one walk reads at most looking for entries that pass a filter (a search, a small category).</summary>
    public const int MaxExamined = 4096;

    /// <summary>
    /// Entries already read, by story: after a change most of a page's stories are the same, and reading their
    /// items again from LiteDB is most of the cost of a render.
    /// </summary>
    private readonly Dictionary<string, (string Version, StoryEntry Entry)> remembered = new(StringComparer.Ordinal);

    private volatile IReadOnlyDictionary<string, Outlet>? lastOutlets;

    public FeedDocument Assemble(AggregatorConfig active, FeedQuery query)
    {
        var limit = Math.Max(1, query.Limit ?? active.Output.MaxItems);
        var filter = new StoryFilter(query, active);
        List<StoryEntry> entries;
        PageAnchor? older = null, newer = null;
        if (query.Page is { Older: false } after)
        {
            // An after page reads forward from its anchor, then shows its stories newest first like any page.
            var (found, stopped) = Walk(false, after, filter, query.Since, limit + 1);
            entries = [.. found.Take(limit).Reverse()];
            newer = found.Count > limit ? PageAnchor.After(entries[0]) : stopped;
            older = entries.Count > 0 && Any(true, PageAnchor.Before(entries[^1]), filter, query.Since) ? PageAnchor.Before(entries[^1]) : null;
        }
        else
        {
            var (found, stopped) = Walk(true, query.Page, filter, query.Since, limit + 1);
            entries = [.. found.Take(limit)];
            older = found.Count > limit ? PageAnchor.Before(entries[^1]) : stopped;
            newer = query.Page is not null && entries.Count > 0 && Any(false, PageAnchor.After(entries[0]), filter, query.Since)
                ? PageAnchor.After(entries[0])
                : null;
        }

        var outlets = Outlets(active);
        var updated = entries.Count > 0 ? entries.Max(e => e.Updated) : time.GetUtcNow().UtcDateTime;
        return new FeedDocument(active.Output, entries, outlets, DateTime.SpecifyKind(updated, DateTimeKind.Utc))
        {
            Query = query,
            Older = older,
            Newer = newer,
            CategoryName = filter.CategoryName(entries.Select(e => e.Item)),
        };
    }

    /// <summary>
    /// The outlets entries name, the same object as last time while nothing about them changed: entries' kept
    /// renderings (<see cref="EntryFragments"/>) stand for as long as it is.
    /// </summary>
    private IReadOnlyDictionary<string, Outlet> Outlets(AggregatorConfig active)
    {
        var states = store.AllStates().ToDictionary(s => s.Id);
        var outlets = active.Feeds.ToDictionary(
            f => f.Id,
            f => new Outlet(f.Id, f.Name, f.Url, states.TryGetValue(f.Id, out var s) && Uri.TryCreate(s.SourceLink, UriKind.Absolute, out var site) ? site : null));
        var last = lastOutlets;
        if (last is not null && last.Count == outlets.Count && outlets.All(o => last.TryGetValue(o.Key, out var known) && known == o.Value))
        {
            return last;
        }

        lastOutlets = outlets;
        return outlets;
    }

    /// <summary>Whether a story past the anchor passes the filter, or may (the walk stopped before finding out).</summary>
    private bool Any(bool older, PageAnchor from, StoryFilter filter, DateTime? since) =>
        Walk(older, from, filter, since, 1) is var (found, stopped) && (found.Count > 0 || stopped is not null);

    /// <summary>
    /// Up to <paramref name="count"/> entries that pass the filter, from an anchor (exclusive) in one direction. A
    /// filter few stories pass would read the whole store for one page: past <see cref="MaxExamined"/> stories the
    /// walk stops, and says where, so the page links onward from there instead (a page may hold fewer entries).
    /// </summary>
    private (List<StoryEntry> Entries, PageAnchor? Stopped) Walk(bool older, PageAnchor? from, StoryFilter filter, DateTime? since, int count)
    {
        var entries = new List<StoryEntry>(Math.Min(count, 512));
        var examined = 0;
        using var stories = Stories(older, from, since, count, filter.ReadsText).GetEnumerator();
        var chunk = new List<StoredStory>(ChunkSize);
        // Items are read a chunk of stories at a time: one query per chunk instead of one per item. A chunk never asks
        // for more stories than entries still wanted, or the last one would read a batch of stories past the page.
        while (entries.Count < count)
        {
            if (examined >= MaxExamined && chunk.Count > 0)
            {
                var last = chunk[^1];
                return (entries, PageAnchor.Past(older, last.Published, last.Id));
            }

            chunk.Clear();
            var room = Math.Min(filter.ReadsText ? SearchChunkSize : ChunkSize, count - entries.Count);
            while (chunk.Count < room && stories.MoveNext())
            {
                chunk.Add(stories.Current);
            }

            if (chunk.Count == 0)
            {
                break;
            }

            examined += chunk.Count;
            var known = chunk.Select(Remembered).ToList();
            var missing = chunk.Where((_, i) => known[i] is null).ToList();
            var items = missing.Count == 0 ? null : Items(missing, filter);
            for (var i = 0; i < chunk.Count; i++)
            {
                var story = chunk[i];
                var entry = known[i] ?? (items is null ? null : Entry(story, items));
                if (entry is not null && filter.Matches(entry.Item))
                {
                    entries.Add(entry);
                    if (known[i] is null)
                    {
                        Remember(story, entry);
                    }
                }
            }
        }

        return (entries, null);
    }

    /// <summary>
    /// The items of these stories' entries: the canonical items first, then the other members of the stories whose
    /// canonical item passes the filter (or is gone). A search passes over most of the stories it examines, and
    /// reading every member of each was six items a story on the million-item store.
    /// </summary>
    private Dictionary<string, StoredItem> Items(List<StoredStory> stories, StoryFilter filter)
    {
        var items = store.FindMany(stories.Where(s => s.CanonicalItem is null).Select(s => (s.CanonicalId, s.RowOf(s.CanonicalId))));
        foreach (var story in stories)
        {
            if (story.CanonicalItem is { } canonical)
            {
                items[canonical.Id] = canonical;
            }
        }

        var members = stories
            .Where(s => !items.TryGetValue(s.CanonicalId, out var canonical) || filter.Matches(canonical))
            .SelectMany(s => s.ItemIds.Select(id => (Id: id, Row: s.RowOf(id))))
            .Where(member => !items.ContainsKey(member.Id))
            .ToList();
        if (members.Count > 0)
        {
            foreach (var (id, item) in store.FindMany(members))
            {
                items[id] = item;
            }
        }

        return items;
    }

    private static StoryEntry? Entry(StoredStory story, IReadOnlyDictionary<string, StoredItem> items)
    {
        var members = story.ItemIds.Select(id => items.GetValueOrDefault(id)).OfType<StoredItem>().ToList();
        var canonical = items.GetValueOrDefault(story.CanonicalId) ?? members.FirstOrDefault();
        if (canonical is null)
        {
            return null;
        }

        var related = members.Where(m => m.Id != canonical.Id).OrderBy(m => m.Published).ToList();
        return new StoryEntry(story.Id, canonical, related, story.Published, Max(story.Updated, canonical.Updated));
    }

    /// <summary>
    /// Keeps an entry a page shows. The ones a filter passed over are not kept: a search examines thousands of stories,
    /// and keeping each (with its items, about 25 KB) grew the process by 50 MB at a million items.
    /// </summary>
    private void Remember(StoredStory story, StoryEntry entry)
    {
        lock (remembered)
        {
            if (remembered.Count >= MaxRemembered)
            {
                remembered.Clear();
            }

            remembered[story.Id] = (Version(story), entry);
        }
    }

    /// <summary>The entry read for this story before, if the story has not moved since.</summary>
    private StoryEntry? Remembered(StoredStory story)
    {
        lock (remembered)
        {
            return remembered.TryGetValue(story.Id, out var known) && known.Version == Version(story) ? known.Entry : null;
        }
    }

    // A story's updated time moves forward when an outlet joins or an item is corrected, and its canonical item or
    // membership changes with them: together they say whether the items read last time still stand.
    private static string Version(StoredStory story) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{story.Updated.Ticks}:{story.Published.Ticks}:{story.CanonicalId}:{story.ItemIds.Count}");

    /// <summary>
    /// The stories strictly beyond an anchor, in exact (published, id) order, read from the store in batches. A full
    /// batch may cut a run of stories sharing a published time: that run is left to the next batch, which starts at it.
    /// With <paramref name="withItems"/>, each comes with its canonical item.
    /// </summary>
    private IEnumerable<StoredStory> Stories(bool older, PageAnchor? from, DateTime? since, int wanted, bool withItems)
    {
        var bound = from?.Published;
        var boundId = from?.StoryId;
        var maxBatch = withItems ? MaxSearchBatch : MaxBatch;
        var batch = Math.Clamp(wanted + 1, FirstBatch, maxBatch);
        while (true)
        {
            var list = bound is null ? store.LatestStories(batch, withItems)
                : older ? store.StoriesBefore(bound.Value, batch, withItems)
                : store.StoriesAfter(bound.Value, batch, withItems);
            var ordered = older
                ? list.OrderByDescending(s => s.Published).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList()
                : [.. list.OrderBy(s => s.Published).ThenBy(s => s.Id, StringComparer.Ordinal)];
            var full = list.Count == batch;
            DateTime? edge = full ? ordered[^1].Published : null;
            if (full && ordered[0].Published == edge)
            {
                batch *= 2;
                continue;
            }

            foreach (var story in ordered)
            {
                if (story.Published == edge)
                {
                    break;
                }

                if (story.Published == bound && boundId is not null && (string.CompareOrdinal(story.Id, boundId) < 0) != older)
                {
                    continue;
                }

                if (story.Id == boundId && story.Published == bound)
                {
                    continue;
                }

                if (since is not null && story.Published < since)
                {
                    if (older)
                    {
                        yield break;
                    }

                    continue;
                }

                yield return story;
            }

            if (!full)
            {
                yield break;
            }

            bound = edge;
            boundId = null;
            batch = Math.Min(batch * 2, maxBatch);
        }
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
