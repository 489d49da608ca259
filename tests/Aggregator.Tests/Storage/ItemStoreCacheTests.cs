using Aggregator.Deduplication;
using Aggregator.Export;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using LiteDB;

namespace Aggregator.Tests.Storage;

/// <summary>
/// LiteDB's page cache grows to hold every page one query or transaction touches, and never gives the memory back:
/// the store reads large sets in chunks, each its own query, outside its write transaction.
/// </summary>
public sealed class ItemStoreCacheTests : IDisposable
{
    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    private static readonly DateTime Recent = DateTime.UtcNow.AddHours(-2);

    /// <summary>Letters drawn at random pack to about 2 KB: three or four items to a LiteDB page, as wire bodies do.</summary>
    private static ItemCandidate Candidate(int n, DateTime published, Random random)
    {
        var text = new string([.. Enumerable.Range(0, 3000).Select(i => i % 7 == 6 ? ' ' : (char)('a' + random.Next(26)))]);
        return new($"id:{n}", $"https://x.example/{n}", $"Dépêche {n}", null, ["Monde"], [], $"<p>{text}</p>", text, published, null);
    }

    /// <summary>Pages LiteDB's cache has grown to (LiteDB 5.0.21 keeps them in segments it never frees).</summary>
    private static int CachePages(ItemStore store) => (int)(store.CacheBytes / 8192);

    /// <summary>Stores <paramref name="count"/> items published in the last two hours, and reopens the store with its identities read.</summary>
    private ItemStore Seeded(int count)
    {
        var random = new Random(7);
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            foreach (var batch in Enumerable.Range(0, count).Chunk(500))
            {
                store.Upsert("a", [.. batch.Select(n => Candidate(n, Recent.AddSeconds(n), random))]);
            }
        }

        var reopened = ItemStore.Open(data.Path, TimeProvider.System);
        Assert.True(reopened.Contains(ItemIdentity.StableId("a", "id:0")));
        return reopened;
    }

    [Fact]
    public void Warm_AWindowOfThousandsOfItems_IsReadBeforeTheWriteWithoutGrowingTheCache()
    {
        using var store = Seeded(6000);
        var before = CachePages(store);
        var deduplicator = new StoryDeduplicator(store, TimeProvider.System, new DeduplicationSettings());

        var result = store.Upsert("b", [Candidate(9000, DateTime.UtcNow, new Random(8))], deduplicator);

        Assert.Equal(1, result.New);
        Assert.Equal(6001, deduplicator.IndexedCount);
        Assert.Equal(before, CachePages(store));
    }

    [Fact]
    public void Upsert_ThousandsOfItemsInOneTransaction_GrowsTheCacheByLittleMoreThanTheTransactionHolds()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var random = new Random(7);

        // About 700 data pages and their index pages, each copied for the transaction until it commits.
        store.Upsert("a", [.. Enumerable.Range(0, 2000).Select(n => Candidate(n, Recent.AddSeconds(n), random))]);

        // LiteDB's own growth (12, 50, 100, 500, then 1,000 pages at a time) reaches 1,662 pages here.
        Assert.InRange(CachePages(store), 700, 1200);
    }

    [Fact]
    public void FindMany_ThousandsOfItems_FindsThemAllWithoutGrowingTheCache()
    {
        using var store = Seeded(6000);
        var before = CachePages(store);
        var ids = Enumerable.Range(0, 6000).Select(n => ItemIdentity.StableId("a", $"id:{n}")).ToList();

        var found = store.FindMany([.. ids, "missing", ids[0]]);

        Assert.Equal(6000, found.Count);
        Assert.All(ids, id => Assert.Equal(id, found[id].Id));
        Assert.Equal(before, CachePages(store));
    }

    /// <summary>
    /// Stores 1,100 items: 600 at one time (longer than two chunks), 240 a second apart, then 260 at one time across
    /// the next chunk boundary; returns the first time.
    /// </summary>
    private static DateTime StoreRunsAcrossChunks(ItemStore store)
    {
        var random = new Random(9);
        var now = DateTime.UtcNow;
        var start = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc).AddHours(-3);
        var published = Enumerable.Repeat(start, 600)
            .Concat(Enumerable.Range(1, 240).Select(s => start.AddSeconds(s)))
            .Concat(Enumerable.Repeat(start.AddMinutes(10), 260))
            .ToList();
        store.Upsert("a", [.. published.Select((at, n) => Candidate(n, at, random))]);
        return start;
    }

    [Fact]
    public void ItemsSince_RunsOfItemsPublishedAtOneTimeAcrossChunks_ReadsEachOnceOldestFirst()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var start = StoreRunsAcrossChunks(store);

        var all = store.ItemsSince(start.AddMinutes(-1)).ToList();
        var later = store.ItemsSince(start.AddSeconds(100)).ToList();

        Assert.Equal(1100, all.Select(i => i.Id).Distinct().Count());
        Assert.Equal(1100, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Published <= p.Second.Published));
        Assert.Equal(401, later.Select(i => i.Id).Distinct().Count());
        Assert.All(later, i => Assert.True(i.Published >= start.AddSeconds(100)));
    }

    [Fact]
    public void LatestStories_ThousandsOfStoriesToldAlone_ListsEachOnceNewestFirstWithoutGrowingTheCache()
    {
        using var store = Seeded(6000);
        var before = CachePages(store);

        var stories = store.LatestStories(FeedAssembler.MaxExamined);

        Assert.Equal(FeedAssembler.MaxExamined, stories.Select(s => s.Id).Distinct().Count());
        Assert.Equal(ItemIdentity.StableId("a", "id:5999"), stories[0].CanonicalId);
        Assert.True(stories.Zip(stories.Skip(1)).All(p => p.First.Published >= p.Second.Published));
        Assert.Equal(before, CachePages(store));
    }

    [Fact]
    public void StoriesBefore_RunsOfStoriesPublishedAtOneTimeAcrossChunks_ListsEachOnceNewestFirst()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        // Read newest first: 260 at one time, 240 a second apart, then 600 at one time across the next boundaries.
        var start = StoreRunsAcrossChunks(store);

        var all = store.StoriesBefore(start.AddMinutes(20), 5000);
        var earlier = store.StoriesBefore(start.AddSeconds(100), 5000);

        Assert.Equal(1100, all.Select(s => s.Id).Distinct().Count());
        Assert.Equal(1100, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Published >= p.Second.Published));
        Assert.Equal(700, earlier.Select(s => s.Id).Distinct().Count());
        Assert.All(earlier, s => Assert.True(s.Published <= start.AddSeconds(100)));
    }
}
