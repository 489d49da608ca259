using Aggregator.Configuration;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using LiteDB;

namespace Aggregator.Tests.Storage;

/// <summary>Items are keyed in LiteDB by rows that grow with each new item, and found by their stable id through the identity index.</summary>
public sealed class ItemStoreRowTests : IDisposable
{
    private static readonly string Body = string.Concat(Enumerable.Repeat("<p>RABAT, 3 déc (MAP) - La dépêche du jour.</p>", 20));

    private static readonly string[] Outlets = ["a", "b", "c"];

    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    private string File => Path.Combine(data.Path, ItemStore.FileName);

    private static ItemCandidate Candidate(string identity) =>
        new(identity, "https://x.example/" + identity, "Titre " + identity, null, ["Monde"], [], Body + identity, "texte " + identity, null, null);

    private static string Id(string feed, string identity) => ItemIdentity.StableId(feed, identity);

    /// <summary>The items' documents as the file holds them: key, stable id, in key order.</summary>
    private List<(BsonValue Key, string Id)> Documents()
    {
        using var raw = new LiteDatabase($"Filename={File};Connection=Direct");
        return [.. raw.GetCollection("items").Query().OrderBy("_id").Select("{ k: $._id, i: $.Id }").ToList().Select(d => (d["k"], d["i"].AsString))];
    }

    [Fact]
    public void Upsert_NewItems_TakeRowsInTheOrderStored_AcrossReopening()
    {
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("a", [Candidate("id:3"), Candidate("id:1")]);
            store.Upsert("b", [Candidate("id:2")]);
        }

        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("a", [Candidate("id:1"), Candidate("id:9")]);
        }

        Assert.Equal(
            [(1L, Id("a", "id:3")), (2L, Id("a", "id:1")), (3L, Id("b", "id:2")), (4L, Id("a", "id:9"))],
            Documents().Select(d => (d.Key.AsInt64, d.Id)));
    }

    [Fact]
    public void Find_ByStableId_ReadsTheItemItsRowNames_AndNothingForAnUnknownOrPurgedOne()
    {
        var old = new DateTime(2015, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        store.Upsert("a", [Candidate("id:1") with { Published = old }, Candidate("id:2")]);
        store.Upsert("a", [Candidate("id:2")]);
        store.Purge(old.AddDays(1));

        Assert.Equal("Titre id:2", store.Find(Id("a", "id:2"))?.Title);
        Assert.Null(store.Find(Id("a", "id:1")));
        Assert.Null(store.Find(Id("a", "id:7")));
        Assert.Equal([Id("a", "id:2")], store.FindMany([Id("a", "id:1"), Id("a", "id:2"), Id("a", "id:7")]).Keys);
    }

    [Fact]
    public void Find_AnIdWhoseIndexKeyAnotherIdTook_IsStillFound_AndNotStoredTwice()
    {
        var first = Id("a", "id:1");
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("a", [Candidate("id:1")]);
        }

        // Another item whose id shares the first 16 hex digits, the identity index's key: it is read after the first.
        var twin = first[..16] + new string('0', 16);
        using (var raw = new LiteDatabase($"Filename={File};Connection=Direct"))
        {
            var items = raw.GetCollection("items");
            var document = items.FindById(1);
            document["_id"] = 2L;
            document["Id"] = twin;
            items.Insert(document);
        }

        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            Assert.Equal(first, store.Find(first)?.Id);
            Assert.Equal(new UpsertResult(0, 0, 1), store.Upsert("a", [Candidate("id:1")]));
        }

        Assert.Equal(2, Documents().Count);
    }

    [Fact]
    public void Open_AStoreKeyedByStableIds_CopiesItIntoRows_KeepingItemsStoriesAndIdentities()
    {
        var opener = Id("a", "id:1");
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("a", [Candidate("id:1"), Candidate("id:2")]);
            store.Upsert("b", [Candidate("id:1")], new JoinStory(opener));
        }

        WriteAsBeforeRows();
        Assert.All(Documents(), d => Assert.True(d.Key.IsString));

        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            Assert.Equal(Id("b", "id:1"), store.Find(Id("b", "id:1"))?.Id);
            Assert.Equal([opener, Id("b", "id:1")], store.FindStory(opener)!.ItemIds);
            Assert.Equal([store.Find(opener)!.Row, store.Find(Id("b", "id:1"))!.Row], store.FindStory(opener)!.ItemRows);
            Assert.Equal(2, store.LatestStories(10).Count);
        }

        var copied = Documents();
        Assert.Equal([1L, 2L, 3L], copied.Select(d => d.Key.AsInt64));
        Assert.Equal(new[] { Id("a", "id:1"), Id("a", "id:2"), Id("b", "id:1") }.Order(StringComparer.Ordinal), copied.Select(d => d.Id).Order(StringComparer.Ordinal));

        // Known items stay known; a new one takes the next row.
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            Assert.Equal(new UpsertResult(1, 0, 2), store.Upsert("a", [Candidate("id:1"), Candidate("id:2"), Candidate("id:3")]));
        }

        Assert.Equal((4L, Id("a", "id:3")), Documents().Select(d => (d.Key.AsInt64, d.Id)).Last());
    }

    [Fact]
    public void Open_AStoreKeyedByStableIds_OfMoreItemsThanAScanReadsAtOnce_CopiesEachOnce()
    {
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("a", [.. Enumerable.Range(0, 600).Select(n => Candidate("id:" + n))]);
        }

        WriteAsBeforeRows();
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            Assert.Equal(600, store.CountItems());
        }

        var copied = Documents();
        Assert.Equal(Enumerable.Range(1, 600).Select(n => (long)n), copied.Select(d => d.Key.AsInt64));
        Assert.Equal(600, copied.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public void Assemble_AfterReopening_FindsStoriesAndTheirOutletsByTheRowsTheyKeep_WithoutReadingTheIdentityIndex()
    {
        var opener = Id("a", "id:1");
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("a", [Candidate("id:1"), Candidate("id:2")]);
            store.Upsert("b", [Candidate("id:1")], new JoinStory(opener));
            store.Upsert("c", [Candidate("id:1")], new JoinStory(opener));
        }

        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            var feeds = Outlets.Select(id => new FeedConfig { Id = id, Url = new Uri($"https://{id}.example/rss"), Name = id }).ToList();
            var document = new Aggregator.Export.FeedAssembler(store, TimeProvider.System)
                .Assemble(new AggregatorConfig(new FeedDefaults(), new OutputSettings(), feeds), Aggregator.Export.FeedQuery.All);

            Assert.Equal(new[] { Id("a", "id:2"), opener }.Order(StringComparer.Ordinal), document.Entries.Select(e => e.Item.Id).Order(StringComparer.Ordinal));
            Assert.Equal(new[] { Id("b", "id:1"), Id("c", "id:1") }.Order(StringComparer.Ordinal), document.Entries.Single(e => e.Item.Id == opener).Related.Select(r => r.Id).Order(StringComparer.Ordinal));
            Assert.False(store.IdentitiesRead);
        }

        // A story written before rows names no rows: its outlets are found through the index.
        using (var raw = new LiteDatabase($"Filename={File};Connection=Direct"))
        {
            var story = raw.GetCollection("stories").FindById(opener);
            Assert.Equal(3, story["ItemRows"].AsArray.Count);
            story.Remove("ItemRows");
            raw.GetCollection("stories").Update(story);
        }

        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            Assert.Equal(3, store.FindMany(store.FindStory(opener)!.ItemIds.Select(id => (id, store.FindStory(opener)!.RowOf(id)))).Count);
            Assert.True(store.IdentitiesRead);
        }
    }

    /// <summary>Rewrites the store as written before rows: items keyed by their stable id, with no Id field; stories without rows.</summary>
    private void WriteAsBeforeRows()
    {
        using var raw = new LiteDatabase($"Filename={File};Connection=Direct");
        var items = raw.GetCollection("items");
        var documents = items.FindAll().ToList();
        items.DeleteAll();
        foreach (var document in documents)
        {
            document["_id"] = document["Id"];
            document.Remove("Id");
            items.Insert(document);
        }

        var stories = raw.GetCollection("stories");
        foreach (var story in stories.FindAll().ToList())
        {
            story.Remove("ItemRows");
            stories.Update(story);
        }
    }
}
