using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Storage;

public sealed class ItemStoreTests : IDisposable
{
    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    private static ItemCandidate Candidate(string identity, string title, DateTime? published = null) =>
        new(identity, "https://x.example/" + identity, title, null, ["Monde"], [], "<p>Corps</p>", "Corps", published, null);

    [Fact]
    public void Open_SecondOpenOfTheSameFolder_IsRefusedWithAClearMessage()
    {
        using var first = ItemStore.Open(data.Path, TimeProvider.System);

        var error = Assert.Throws<StoreLockedException>(() => ItemStore.Open(data.Path, TimeProvider.System));

        Assert.Contains("in use by another Aggregator process", error.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AfterTheFirstIsClosed_Succeeds()
    {
        ItemStore.Open(data.Path, TimeProvider.System).Dispose();

        using var second = ItemStore.Open(data.Path, TimeProvider.System);

        Assert.Equal(0, second.CountItems());
    }

    [Fact]
    public void Upsert_SameItemTwice_StoresOnce()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        var first = store.Upsert("f", [Candidate("id:1", "Un")]);
        var second = store.Upsert("f", [Candidate("id:1", "Un")]);

        Assert.Equal(new UpsertResult(1, 0, 0), first);
        Assert.Equal(new UpsertResult(0, 0, 1), second);
        Assert.Equal(1, store.CountItems());
    }

    [Fact]
    public void Upsert_SameIdentityInTwoFeeds_StoresTwoItems()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        store.Upsert("a", [Candidate("id:1", "Un")]);
        store.Upsert("b", [Candidate("id:1", "Un")]);

        Assert.Equal(2, store.CountItems());
        Assert.Equal(1, store.CountItems("a"));
    }

    [Fact]
    public void Upsert_DatesComeBackAsUtcAfterReopen()
    {
        var published = new DateTime(2015, 11, 13, 10, 30, 0, 123, DateTimeKind.Utc);
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("f", [Candidate("id:1", "Un", published)]);
        }

        using var reopened = ItemStore.Open(data.Path, TimeProvider.System);
        var item = Assert.Single(reopened.Latest(10));

        Assert.Equal(DateTimeKind.Utc, item.Published.Kind);
        Assert.Equal(published, item.Published);
        Assert.Equal(published, item.Updated);
    }

    [Fact]
    public void Latest_IsNewestFirstAndLimited()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        store.Upsert("f", [.. Enumerable.Range(0, 20).Select(i => Candidate($"id:{i}", $"Item {i}", start.AddHours(i)))]);

        var latest = store.Latest(5);

        Assert.Equal(["Item 19", "Item 18", "Item 17", "Item 16", "Item 15"], latest.Select(i => i.Title));
    }

    [Fact]
    public void Ids_AreCaseSensitive()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        store.Upsert("f", [Candidate("id:ABC", "Majuscules"), Candidate("id:abc", "Minuscules")]);

        Assert.Equal(2, store.CountItems());
    }

    [Fact]
    public void Upsert_ChangesVersionOnlyWhenSomethingChanged()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        store.Upsert("f", [Candidate("id:1", "Un")]);
        var version = store.Version;
        store.Upsert("f", [Candidate("id:1", "Un")]);
        Assert.Equal(version, store.Version);
        store.Upsert("f", [Candidate("id:1", "Un, corrigé")]);

        Assert.True(store.Version > version);
    }

    [Fact]
    public void StableId_IsTheSameForTheSameFeedAndIdentity()
    {
        Assert.Equal(ItemIdentity.StableId("f", "id:1"), ItemIdentity.StableId("f", "id:1"));
        Assert.NotEqual(ItemIdentity.StableId("f", "id:1"), ItemIdentity.StableId("g", "id:1"));
    }

    [Fact]
    public void Upsert_NewItemJoiningAStory_CountsAsMerged()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var matcher = new FirstStoryMatcher();

        var opened = store.Upsert("a", [Candidate("id:1", "Séisme au Yunnan")], matcher);
        var joined = store.Upsert("b", [Candidate("id:2", "Séisme dans le Yunnan"), Candidate("id:3", "Autre dépêche")], matcher);

        Assert.Equal(new UpsertResult(1, 0, 0, Merged: 0), opened);
        Assert.Equal(new UpsertResult(2, 0, 0, Merged: 1), joined);
    }

    [Fact]
    public void Upsert_CorrectionDatedBeforeAnOutletJoined_StillMovesTheStoryForward()
    {
        // A clock that does not move: the join and the correction fall in the same millisecond, as they can on a fast machine.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 27, 5, 4, 50, TimeSpan.Zero));
        using var store = ItemStore.Open(data.Path, clock);
        var matcher = new FirstStoryMatcher();
        var published = clock.GetUtcNow().UtcDateTime.AddHours(-3);
        store.Upsert("a", [Candidate("id:1", "Séisme au Yunnan", published)], matcher);
        store.Upsert("b", [Candidate("id:2", "Séisme dans le Yunnan", published.AddMinutes(5))], matcher);
        var joined = Assert.Single(store.LatestStories(10));

        // The outlet's own date for its correction falls between publication and the join.
        store.Upsert("a", [Candidate("id:1", "Séisme au Yunnan, bilan revu", published) with { SourceUpdated = published.AddHours(1) }], matcher);

        var corrected = Assert.Single(store.LatestStories(10));
        Assert.True(corrected.Updated > joined.Updated, $"{corrected.Updated:O} should be after {joined.Updated:O}");
    }

    [Fact]
    public void Upsert_CorrectionWithinTheMillisecondItWasStored_StillMovesItsStoryForward()
    {
        // No dates from the source and a clock that does not move: the item's first write and its correction share a time.
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 27, 5, 4, 50, TimeSpan.Zero));
        using var store = ItemStore.Open(data.Path, clock);
        store.Upsert("a", [Candidate("id:1", "Séisme au Yunnan")]);
        var first = Assert.Single(store.LatestStories(10));

        store.Upsert("a", [Candidate("id:1", "Séisme au Yunnan, bilan revu")]);

        var corrected = Assert.Single(store.LatestStories(10));
        Assert.True(corrected.Updated > first.Updated, $"{corrected.Updated:O} should be after {first.Updated:O}");
    }

    [Fact]
    public void LatestStories_WithItems_EachStoryComesWithItsCanonicalItemAsFindReadsIt()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var matcher = new FirstStoryMatcher();
        var published = DateTime.UtcNow.AddHours(-3);
        store.Upsert("a", [Candidate("id:1", "Séisme au Yunnan", published)], matcher);
        store.Upsert("b", [Candidate("id:2", "Séisme dans le Yunnan", published.AddMinutes(5))], matcher);
        store.Upsert("c", [Candidate("id:3", "Pluies au Sichuan", published.AddMinutes(10))]);

        var stories = store.LatestStories(10, withItems: true);

        Assert.Equal(2, stories.Count);
        Assert.All(stories, story =>
        {
            var canonical = Assert.IsType<StoredItem>(story.CanonicalItem);
            var found = store.Find(story.CanonicalId)!;
            Assert.Equal((found.Id, found.Row, found.Title, found.BodyText, found.BodyHtml), (canonical.Id, canonical.Row, canonical.Title, canonical.BodyText, canonical.BodyHtml));
        });
        Assert.Contains(stories, s => s.ItemIds.Count == 2);
        Assert.All(store.LatestStories(10), story => Assert.Null(story.CanonicalItem));
    }

    /// <summary>Puts the second item into the first item's story, and no other: enough to tell a join from a new story.</summary>
    private sealed class FirstStoryMatcher : IStoryMatcher
    {
        private readonly List<string> stories = [];

        public string? Match(StoredItem item) => stories.Count == 1 ? stories[0] : null;

        public void Remember(StoredItem item) => stories.Add(item.StoryId);
    }
}
