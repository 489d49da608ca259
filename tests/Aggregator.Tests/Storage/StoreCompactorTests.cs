using Aggregator.Hosting;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using LiteDB;

namespace Aggregator.Tests.Storage;

public sealed class StoreCompactorTests : IDisposable
{
    private static readonly DateTimeOffset Today = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    private string DatabasePath => data.File(ItemStore.FileName);

    private static ItemCandidate Candidate(int n, DateTime published) =>
        new($"id:{n}", $"https://x.example/{n}", $"Dépêche {n}", "Rédaction", ["Monde"], [], $"<p>{new string('x', 2000)} {n}</p>", $"Corps {n}", published, null);

    /// <summary>A store with every collection filled: <paramref name="items"/> items and a copy of the first joining its story, feed states, listings and purged ids.</summary>
    private void FillStore(int items, bool purgeOld)
    {
        using var store = ItemStore.Open(data.Path, new ManualTime(Today));
        var candidates = Enumerable.Range(0, items).Select(n => Candidate(n, Today.UtcDateTime.AddDays(-n % 60))).ToList();
        store.Upsert("a", candidates);

        // Another outlet's copy of the first dispatch: a story of two items has a document of its own.
        store.Upsert("b", [Candidate(0, Today.UtcDateTime)], new JoinStory(ItemIdentity.StableId("a", "id:0")));
        store.SaveState(new FeedState { Id = "a", ETag = "\"v1\"", LastSuccess = Today.UtcDateTime });
        if (purgeOld)
        {
            store.Upsert("a", [.. candidates.Take(5)]);
            store.Purge(Today.UtcDateTime.AddDays(-30));
        }
    }

    /// <summary>Every document of every collection as JSON, with the indexes and collation: what must survive compaction.</summary>
    private List<string> Snapshot()
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = DatabasePath, Connection = ConnectionType.Direct });
        var lines = new List<string> { "collation " + database.Pragma("COLLATION").AsString };
        foreach (var name in database.GetCollectionNames().Order(StringComparer.Ordinal))
        {
            lines.AddRange(database.GetCollection(name).FindAll().Select(d => name + " " + JsonSerializer.Serialize(d)).Order(StringComparer.Ordinal));
        }

        lines.AddRange(database.GetCollection("$indexes").FindAll()
            .Select(i => $"index {i["collection"].AsString} {i["name"].AsString} {i["expression"].AsString} {i["unique"].AsBoolean}")
            .Order(StringComparer.Ordinal));
        return lines;
    }

    [Fact]
    public void Compact_CopiesEveryCollection_ContentUnchanged()
    {
        FillStore(120, purgeOld: true);
        var before = Snapshot();

        var result = StoreCompactor.Compact(data.Path);

        Assert.NotNull(result);
        Assert.Equal(before, Snapshot());
        Assert.Equal(["dictionaries", "feeds", "items", "listings", "purged", "stories"], result.Documents.Keys.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(data.File("aggregator.db.bak")));
        Assert.False(File.Exists(data.File("aggregator.compact.db")));
    }

    [Fact]
    public void Compact_AfterAPurge_MakesTheFileSmaller()
    {
        FillStore(300, purgeOld: true);

        var result = StoreCompactor.Compact(data.Path)!;

        Assert.True(result.BytesAfter < result.BytesBefore, $"{result.BytesAfter} bytes after, {result.BytesBefore} before");
        Assert.Equal(new FileInfo(DatabasePath).Length, result.BytesAfter);
    }

    [Fact]
    public void Compact_FreshStore_IsNotLarger()
    {
        FillStore(50, purgeOld: false);

        var result = StoreCompactor.Compact(data.Path)!;

        Assert.True(result.BytesAfter <= result.BytesBefore, $"{result.BytesAfter} bytes after, {result.BytesBefore} before");
    }

    [Fact]
    public void Compact_StoreWithPurgedIds_StillKeepsPurgedItemsOut()
    {
        FillStore(100, purgeOld: true);
        StoreCompactor.Compact(data.Path);

        using var store = ItemStore.Open(data.Path, new ManualTime(Today));
        var again = store.Upsert("a", [Candidate(59, Today.UtcDateTime.AddDays(-59)), Candidate(1000, Today.UtcDateTime)]);

        Assert.Equal(new UpsertResult(1, 0, 1), again);
        Assert.True(store.IsPurged(ItemIdentity.StableId("a", "id:59")));
        Assert.Equal("\"v1\"", store.GetState("a").ETag);
    }

    [Fact]
    public void Compact_WhileTheStoreIsOpen_IsRefusedAndLeavesTheFile()
    {
        FillStore(10, purgeOld: false);
        using var store = ItemStore.Open(data.Path, TimeProvider.System);

        Assert.Throws<StoreLockedException>(() => StoreCompactor.Compact(data.Path));
        Assert.Equal(10 + 1, store.CountItems());
        Assert.False(File.Exists(data.File("aggregator.compact.db")));
    }

    [Fact]
    public void Compact_NoStoreInTheFolder_ReturnsNull()
    {
        Assert.Null(StoreCompactor.Compact(data.Path));
    }

    [Fact]
    public async Task CompactCommand_WhileTheStoreIsOpen_ExitsWithDataInUse()
    {
        FillStore(10, purgeOld: false);
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await Commands.RunAsync(["compact", "--data", data.Path], output, errors);

        Assert.Equal(Commands.DataInUse, code);
        Assert.Contains("cannot compact while the store is open", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompactCommand_PrintsSizesBeforeAndAfter()
    {
        FillStore(10, purgeOld: false);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await Commands.RunAsync(["compact", "--data", data.Path], output, errors);

        Assert.Equal(Commands.Ok, code);
        Assert.Matches(@"Compacted .*aggregator\.db: \d+ bytes before, \d+ after\.", output.ToString());
        Assert.Contains("items", output.ToString(), StringComparison.Ordinal);
    }
}
