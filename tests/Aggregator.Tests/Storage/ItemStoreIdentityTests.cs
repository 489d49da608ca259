using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Storage;

/// <summary>The store's in-memory identity index, packed bodies and group commit, seen through ItemStore.</summary>
public sealed class ItemStoreIdentityTests : IDisposable
{
    private static readonly string LongBody = string.Concat(Enumerable.Repeat("<p>ALGER, 12 nov (APS) - « Lire aussi » la dépêche précédente.</p>", 30));

    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    private static ItemCandidate Candidate(string identity, string title, string body) =>
        new(identity, "https://x.example/" + identity, title, null, ["Monde"], [], body, "texte " + title, null, null);

    [Fact]
    public void CountItems_KeptInMemory_AgreesWithTheStoreAfterWritesPurgesAndReopening()
    {
        var old = new DateTime(2015, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var first = ItemStore.Open(data.Path, TimeProvider.System))
        {
            first.Upsert("a", [Candidate("id:1", "Un", LongBody) with { Published = old }, Candidate("id:2", "Deux", LongBody), Candidate("id:3", "Trois", LongBody)]);
            first.Upsert("b", [Candidate("id:4", "Quatre", LongBody), Candidate("id:5", "Cinq", LongBody)]);
            first.Upsert("a", []);
            first.Purge(old.AddDays(1));
            Assert.Equal((4, 2, 2), (first.CountItems(), first.CountItems("a"), first.CountItems("b")));
        }

        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        Assert.Equal((4, 2, 2, 0), (store.CountItems(), store.CountItems("a"), store.CountItems("b"), store.CountItems("c")));
        Assert.NotNull(store.LastNewItem("b"));
        Assert.Null(store.LastNewItem("c"));
    }

    [Fact]
    public void Purge_FailingInItsTransaction_LeavesItemsAndCountsAsTheyWere()
    {
        var old = new DateTime(2015, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var opener = ItemIdentity.StableId("a", "id:1");
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        store.Upsert("a", [Candidate("id:1", "Un", LongBody) with { Published = old }, Candidate("id:2", "Deux", LongBody) with { Published = old }]);
        store.Upsert("b", [Candidate("id:1", "Un", LongBody)], new JoinStory(opener));
        store.Upsert("a", []);

        // Choosing the story's next canonical item fails, after the batch deleted both of a's items.
        Assert.Throws<InvalidOperationException>(() => store.Purge(old.AddDays(1), priorityOf: _ => throw new InvalidOperationException("priority fault")));

        Assert.Equal((3, 2, 1), (store.CountItems(), store.CountItems("a"), store.CountItems("b")));
        Assert.NotNull(store.Find(opener));
    }

    [Fact]
    public void Upsert_FailingInItsTransaction_LeavesNeitherItemNorCountBehind()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        store.Upsert("a", [Candidate("id:1", "Un", LongBody)]);

        Assert.Throws<InvalidOperationException>(() => store.Upsert("a", [Candidate("id:2", "Deux", LongBody)], new FailingMatcher()));
        var after = store.Upsert("a", [Candidate("id:1", "Un", LongBody), Candidate("id:3", "Trois", LongBody)]);

        Assert.Equal(new UpsertResult(1, 0, 1), after);
        Assert.Equal(2, store.CountItems("a"));
        Assert.False(store.Contains(ItemIdentity.StableId("a", "id:2")));
    }

    private sealed class FailingMatcher : IStoryMatcher
    {
        public string? Match(StoredItem item) => throw new InvalidOperationException("matcher fault");

        public void Remember(StoredItem item)
        {
        }
    }

    [Fact]
    public void Upsert_CorrectedItemAfterReopen_IsAnUpdate()
    {
        using (var first = ItemStore.Open(data.Path, TimeProvider.System))
        {
            first.Upsert("f", [Candidate("id:1", "Un", LongBody)]);
        }

        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var same = store.Upsert("f", [Candidate("id:1", "Un", LongBody)]);
        var corrected = store.Upsert("f", [Candidate("id:1", "Un (corrigé)", LongBody)]);

        Assert.Equal(new UpsertResult(0, 0, 1), same);
        Assert.Equal(new UpsertResult(0, 1, 0), corrected);
    }

    [Fact]
    public void Find_LargeBodyAfterReopen_ReadsBackExactly()
    {
        using (var first = ItemStore.Open(data.Path, TimeProvider.System))
        {
            first.Upsert("f", [Candidate("id:1", "Un", LongBody)]);
        }

        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        var item = store.Find(ItemIdentity.StableId("f", "id:1"));

        Assert.NotNull(item);
        Assert.Equal(LongBody, item.BodyHtml);
        Assert.Equal("texte Un", item.BodyText);
    }

    [Fact]
    public void Contains_StoredAndRememberedIds_AreKnown()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        store.Upsert("f", [Candidate("id:1", "Un", "<p>Corps</p>")]);
        store.RememberIdentity(ItemIdentity.StableId("f", "id:purged"));

        Assert.True(store.Contains(ItemIdentity.StableId("f", "id:1")));
        Assert.True(store.Contains(ItemIdentity.StableId("f", "id:purged")));
        Assert.False(store.Contains(ItemIdentity.StableId("f", "id:2")));
    }

    [Fact]
    public async Task Upsert_ManyFeedsAtOnce_StoresEveryItemOnce()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(feed => Task.Run(() =>
            store.Upsert($"f{feed}", Enumerable.Range(0, 20).Select(i => Candidate($"id:{i}", $"Titre {feed}-{i}", LongBody)).ToList()))));

        Assert.All(results, r => Assert.Equal(new UpsertResult(20, 0, 0), r));
        Assert.Equal(320, store.CountItems());
    }

    [Fact]
    public async Task UpsertAsync_WhileAnotherFeedIsBeingWritten_ReturnsAtOnceAndIsWrittenNext()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        using var release = new ManualResetEventSlim();
        var first = HeldWrite(store, release);

        // On its own thread, so that a call that blocks until the writer is free fails the test instead of hanging it.
        Task<UpsertResult>? second = null;
        var caller = new Thread(() => second = store.UpsertAsync("b", [Candidate("id:2", "Deux", LongBody)]));
        caller.Start();
        var returned = caller.Join(TimeSpan.FromSeconds(10));
        var waitingWhileHeld = second is { IsCompleted: false };
        release.Set();

        Assert.True(returned, "UpsertAsync held its caller's thread until the writer was free");
        Assert.True(waitingWhileHeld);
        Assert.Equal(new UpsertResult(1, 0, 0), await first);
        Assert.Equal(new UpsertResult(1, 0, 0), await second!);
        Assert.Equal((1, 1), (store.CountItems("a"), store.CountItems("b")));
    }

    [Fact]
    public async Task Upsert_WhoseMatcherFailsToWarm_FailsAloneAndTheFeedsQueuedWithItAreWritten()
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        using var release = new ManualResetEventSlim();
        var first = HeldWrite(store, release);

        // Both wait for the writer, and are written as one group once it is free.
        var failing = store.UpsertAsync("b", [Candidate("id:2", "Deux", LongBody)], new ColdMatcher());
        var plain = store.UpsertAsync("c", [Candidate("id:3", "Trois", LongBody)]);
        release.Set();

        Assert.Equal(new UpsertResult(1, 0, 0), await first);
        Assert.Equal("cannot warm", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(new UpsertResult(1, 0, 0), await plain);
        Assert.Equal((1, 0, 1), (store.CountItems("a"), store.CountItems("b"), store.CountItems("c")));
    }

    /// <summary>Cannot read what it matches against.</summary>
    private sealed class ColdMatcher : IStoryMatcher
    {
        public void Warm() => throw new InvalidOperationException("cannot warm");

        public string? Match(StoredItem item) => null;

        public void Remember(StoredItem item)
        {
        }
    }

    /// <summary>Feed "a"'s write of one item, started and held inside the writer until <paramref name="release"/> is set.</summary>
    private static Task<UpsertResult> HeldWrite(ItemStore store, ManualResetEventSlim release)
    {
        using var writing = new ManualResetEventSlim();
        var first = Task.Run(() => store.UpsertAsync("a", [Candidate("id:1", "Un", LongBody)], new HeldMatcher(writing, release)), TestContext.Current.CancellationToken);
        Assert.True(writing.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "the first write did not start");
        return first;
    }

    /// <summary>Holds the write it takes part in until released.</summary>
    private sealed class HeldMatcher(ManualResetEventSlim writing, ManualResetEventSlim release) : IStoryMatcher
    {
        public string? Match(StoredItem item)
        {
            writing.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return null;
        }

        public void Remember(StoredItem item)
        {
        }
    }

    [Fact]
    public void ContentHash_BuiltWithoutJoiningTheParts_IsTheOneStoresWrittenBeforeHold()
    {
        var updated = new DateTime(2015, 11, 13, 10, 30, 0, DateTimeKind.Utc);
        var plain = Candidate("id:1", "Séisme à Jiashi", LongBody) with { SourceUpdated = updated, Categories = ["Monde", "Chine"] };
        var paged = Candidate("id:2", "Un « résumé »", "<p>court</p>") with { Categories = [], Link = null, Page = new PageSource { SummaryDigest = "d1" } };
        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        store.Upsert("a", [plain, paged]);

        // The digest as it was first defined: SHA-256 of the parts joined by U+001F, the first 16 bytes in hex.
        static string Joined(params string?[] parts) =>
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\u001f", parts)))[..16]);
        Assert.Equal(Joined(plain.Title, LongBody, plain.Link, updated.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), "Monde|Chine"), store.Find(ItemIdentity.StableId("a", "id:1"))!.ContentHash);
        Assert.Equal(Joined(paged.Title, "<p>court</p>", null, null, "", "d1"), store.Find(ItemIdentity.StableId("a", "id:2"))!.ContentHash);
    }

    [Fact]
    public void Story_ToldByOneItem_HasNoDocumentUntilAnotherOutletJoins()
    {
        var file = Path.Combine(data.Path, ItemStore.FileName);
        var opener = ItemIdentity.StableId("a", "id:1");
        var copy = ItemIdentity.StableId("b", "id:1");
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("a", [Candidate("id:1", "Un", LongBody)]);
            var alone = Assert.Single(store.LatestStories(10));
            Assert.Equal((opener, opener, opener), (alone.Id, alone.CanonicalId, string.Join(' ', alone.ItemIds)));
            Assert.Equal(opener, store.FindStory(opener)!.CanonicalId);
        }

        Assert.Equal(0, StoryDocuments());
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("b", [Candidate("id:1", "Un", LongBody)], new JoinStory(opener));
            var joined = Assert.Single(store.LatestStories(10));
            Assert.Equal((opener, opener + " " + copy), (joined.Id, string.Join(' ', joined.ItemIds)));
            Assert.Equal((opener, opener), (store.Find(opener)!.StoryId, store.Find(copy)!.StoryId));
        }

        Assert.Equal(1, StoryDocuments());

        int StoryDocuments()
        {
            using var raw = new LiteDB.LiteDatabase($"Filename={file};Connection=Direct");
            return raw.GetCollection("stories").Count();
        }
    }

    [Fact]
    public void Stories_WrittenBefore_OneDocumentEachEvenAlone_ReadBackTheSameAndAreListedOnce()
    {
        var file = Path.Combine(data.Path, ItemStore.FileName);
        var opener = ItemIdentity.StableId("a", "id:1");
        var other = ItemIdentity.StableId("a", "id:2");
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("a", [Candidate("id:1", "Un", LongBody), Candidate("id:2", "Deux", LongBody)]);
            store.Upsert("b", [Candidate("id:1", "Un", LongBody)], new JoinStory(opener));
        }

        using (var raw = new LiteDB.LiteDatabase($"Filename={file};Connection=Direct"))
        {
            var stories = raw.GetCollection("stories");
            Assert.False(stories.FindById(opener).ContainsKey("CanonicalId"));

            // As written before: every item names its story, every story has a document, the canonical id always present.
            var old = stories.FindById(opener);
            old["_id"] = other;
            old["CanonicalId"] = other;
            old["ItemIds"] = new LiteDB.BsonArray(new LiteDB.BsonValue(other));
            stories.Insert(old);
            var item = raw.GetCollection("items").FindOne(LiteDB.Query.EQ("Id", other));
            item["StoryId"] = other;
            raw.GetCollection("items").Update(item);
            old = stories.FindById(opener);
            old["CanonicalId"] = opener;
            stories.Update(old);
        }

        using var reopened = ItemStore.Open(data.Path, TimeProvider.System);
        Assert.Equal(opener, reopened.FindStory(opener)!.CanonicalId);
        Assert.Equal(other, reopened.FindStory(other)!.CanonicalId);
        Assert.Equal([opener, other], reopened.LatestStories(10).Select(s => s.Id).Order(StringComparer.Ordinal));
    }
}
