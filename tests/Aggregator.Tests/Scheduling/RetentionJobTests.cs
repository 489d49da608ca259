using Aggregator.Configuration;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Storage;
using Aggregator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aggregator.Tests.Scheduling;

public sealed class RetentionJobTests : IDisposable
{
    private static readonly DateTimeOffset Today = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory data = new();
    private readonly ManualTime time = new(Today);
    private readonly ItemStore store;

    public RetentionJobTests() => store = ItemStore.Open(data.Path, time);

    public void Dispose()
    {
        store.Dispose();
        data.Dispose();
    }

    private static DateTime DaysAgo(int days) => Today.UtcDateTime.AddDays(-days);

    private static ItemCandidate Candidate(string identity, string title, DateTime published) =>
        new(identity, "https://x.example/" + identity, title, null, [], [], "<p>Corps</p>", "Corps", published, null);

    private static string Id(string feedId, string identity) => ItemIdentity.StableId(feedId, identity);

    private RetentionJob Job(TimeSpan? retention = null, params string[] feedIds)
    {
        var feeds = (feedIds.Length == 0 ? ["a", "b"] : feedIds)
            .Select((id, i) => new FeedConfig { Id = id, Url = new Uri($"https://{id}.example/rss"), Name = id, Priority = i == 0 ? 1 : 0 })
            .ToList();
        var config = new AggregatorConfig(new FeedDefaults(), new OutputSettings(), feeds) { Retention = retention ?? AggregatorConfig.DefaultRetention };
        return new RetentionJob(store, new ActiveConfig(config, "feeds.json"), time, NullLogger<RetentionJob>.Instance);
    }

    [Fact]
    public void PurgeExpired_ItemOlderThan30DaysNoLongerListed_IsPurged()
    {
        store.Upsert("a", [Candidate("id:old", "Ancienne", DaysAgo(40)), Candidate("id:new", "Récente", DaysAgo(1))]);
        store.Upsert("a", [Candidate("id:new", "Récente", DaysAgo(1))]);

        var result = Job().PurgeExpired();

        Assert.Equal(new PurgeResult(1, 0, 1), result);
        Assert.Null(store.Find(Id("a", "id:old")));
        Assert.NotNull(store.Find(Id("a", "id:new")));
        Assert.True(store.IsPurged(Id("a", "id:old")));
    }

    [Fact]
    public void PurgeExpired_ItemYoungerThanRetention_IsKeptEvenWhenNoLongerListed()
    {
        store.Upsert("a", [Candidate("id:1", "Un", DaysAgo(29))]);
        store.Upsert("a", []);

        var result = Job().PurgeExpired();

        Assert.Equal(0, result.Purged);
        Assert.Equal(1, store.CountItems());
    }

    [Fact]
    public void PurgeExpired_OldItemStillInItsFeedsLatestFetch_IsKept()
    {
        store.Upsert("a", [Candidate("id:evergreen", "Toujours là", DaysAgo(90))]);
        time.Now += TimeSpan.FromDays(5);
        store.Upsert("a", [Candidate("id:evergreen", "Toujours là", DaysAgo(90))]);

        var result = Job().PurgeExpired();

        Assert.Equal(new PurgeResult(0, 1, 0), result);
        Assert.NotNull(store.Find(Id("a", "id:evergreen")));
    }

    [Fact]
    public void PurgeExpired_FeedRemovedFromTheConfiguration_NoLongerProtectsItsItems()
    {
        store.Upsert("gone", [Candidate("id:1", "Un", DaysAgo(40))]);

        var result = Job(null, "a").PurgeExpired();

        Assert.Equal(1, result.Purged);
        Assert.Equal(0, store.CountItems());
    }

    [Fact]
    public void PurgeExpired_PurgedItemServedAgainByTheFeed_DoesNotComeBack()
    {
        store.Upsert("a", [Candidate("id:old", "Ancienne", DaysAgo(40))]);
        store.Upsert("a", []);
        Job().PurgeExpired();

        var again = store.Upsert("a", [Candidate("id:old", "Ancienne", DaysAgo(40)), Candidate("id:new", "Récente", DaysAgo(0))]);

        Assert.Equal(new UpsertResult(1, 0, 1), again);
        Assert.Null(store.Find(Id("a", "id:old")));
        Assert.Equal(1, store.CountItems());
    }

    [Fact]
    public void PurgeExpired_UsesTheConfiguredRetention()
    {
        store.Upsert("a", [Candidate("id:10", "Dix jours", DaysAgo(10)), Candidate("id:5", "Cinq jours", DaysAgo(5))]);
        store.Upsert("a", []);

        var result = Job(TimeSpan.FromDays(7)).PurgeExpired();

        Assert.Equal(1, result.Purged);
        Assert.NotNull(store.Find(Id("a", "id:5")));
    }

    [Fact]
    public void PurgeExpired_CanonicalItemPurged_NextItemBecomesCanonical()
    {
        var matcher = new SameTitleMatcher(store);
        store.Upsert("a", [Candidate("id:a", "Séisme au Yunnan", DaysAgo(40))], matcher);
        store.Upsert("b", [Candidate("id:b", "Séisme au Yunnan", DaysAgo(20))], matcher);
        store.Upsert("a", []);
        var storyId = store.Find(Id("b", "id:b"))!.StoryId;
        Assert.Equal(Id("a", "id:a"), store.FindStory(storyId)!.CanonicalId);

        var result = Job().PurgeExpired();

        var story = store.FindStory(storyId)!;
        Assert.Equal(new PurgeResult(1, 0, 0), result);
        Assert.Equal(Id("b", "id:b"), story.CanonicalId);
        Assert.Equal([Id("b", "id:b")], story.ItemIds);
        Assert.Equal(DaysAgo(20), story.Published);
    }

    [Fact]
    public void PurgeExpired_EveryItemOfAStoryPurged_DeletesTheStory()
    {
        var matcher = new SameTitleMatcher(store);
        store.Upsert("a", [Candidate("id:a", "Séisme au Yunnan", DaysAgo(40))], matcher);
        store.Upsert("b", [Candidate("id:b", "Séisme au Yunnan", DaysAgo(35))], matcher);
        store.Upsert("a", []);
        store.Upsert("b", []);
        var storyId = store.Find(Id("a", "id:a"))!.StoryId;

        var result = Job().PurgeExpired();

        Assert.Equal(new PurgeResult(2, 0, 1), result);
        Assert.Null(store.FindStory(storyId));
        Assert.Empty(store.LatestStories(10));
    }

    [Fact]
    public void PurgeExpired_MoreItemsThanOneBatch_PurgesThemAll()
    {
        var count = (2 * ItemStore.PurgeBatchSize) + 7;
        store.Upsert("a", [.. Enumerable.Range(0, count).Select(i => Candidate($"id:{i}", $"Dépêche {i}", DaysAgo(31 + (i % 10))))]);
        store.Upsert("a", []);

        var result = Job().PurgeExpired();

        Assert.Equal(count, result.Purged);
        Assert.Equal(0, store.CountItems());
        Assert.Equal(count, store.CountPurged());
        Assert.Empty(store.LatestStories(10));
    }

    [Fact]
    public void PurgeExpired_SomethingPurged_MovesTheVersion()
    {
        store.Upsert("a", [Candidate("id:old", "Ancienne", DaysAgo(40))]);
        store.Upsert("a", []);
        var version = store.Version;

        Job().PurgeExpired();

        Assert.True(store.Version > version);
    }

    /// <summary>Puts items with the same title in the same story: enough to build stories without the real deduplicator.</summary>
    private sealed class SameTitleMatcher(ItemStore store) : IStoryMatcher
    {
        private readonly Dictionary<string, string> storyByTitle = [];

        public string? Match(StoredItem item) =>
            storyByTitle.TryGetValue(item.Title, out var itemId) ? store.Find(itemId)?.StoryId : null;

        public void Remember(StoredItem item) => storyByTitle.TryAdd(item.Title, item.Id);
    }
}
