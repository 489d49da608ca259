using Aggregator.Storage;
using Aggregator.Tests.Support;
using LiteDB;

namespace Aggregator.Tests.Storage;

public sealed class ItemStoreDictionaryTests : IDisposable
{
    private const int Samples = 40;
    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    private static ItemCandidate Candidate(int n)
    {
        var (html, text) = BodyDictionaryTests.Dispatch(n);
        return new ItemCandidate($"id:{n}", $"https://x.example/{n}", $"Dépêche {n}", null, ["Monde"], [], html, text, new DateTime(2026, 11, 27, 8, 0, 0, DateTimeKind.Utc).AddMinutes(n), null);
    }

    private static string IdOf(int n, string feed = "f") => ItemIdentity.StableId(feed, $"id:{n}");

    private static void Store(ItemStore store, int from, int count) =>
        store.Upsert("f", [.. Enumerable.Range(from, count).Select(Candidate)]);

    private ItemStore Open() => ItemStore.Open(data.Path, TimeProvider.System, dictionarySamples: Samples);

    /// <summary>Stores the samples (packed by Brotli), waits for the dictionary, then stores <paramref name="after"/> more with it.</summary>
    private void StoreTrained(int after)
    {
        using var store = Open();
        Store(store, 0, Samples);
        store.WaitForDictionary();
        Store(store, Samples, after);
    }

    /// <summary>The items' documents as the file holds them, the store closed: how many keep their bodies under each field.</summary>
    private (int Zstd, int Brotli, int Dictionaries) Layout()
    {
        using var file = new LiteDatabase($"Filename={Path.Combine(data.Path, ItemStore.FileName)};ReadOnly=true");
        var documents = file.GetCollection("items").FindAll().ToList();
        return (documents.Count(d => d["Body"].IsBinary), documents.Count(d => d["BodyHtml"].IsBinary), file.GetCollection("dictionaries").Count());
    }

    private void AssertEveryBodyReadsBack(int count)
    {
        using var store = ItemStore.Open(data.Path, TimeProvider.System);
        for (var n = 0; n < count; n++)
        {
            var item = store.Find(IdOf(n))!;
            Assert.Equal(BodyDictionaryTests.Dispatch(n), (item.BodyHtml, item.BodyText));
        }
    }

    [Fact]
    public void Upsert_PastTheSamples_TrainsADictionary_AndPacksLaterBodiesWithIt()
    {
        StoreTrained(30);

        Assert.Equal((30, Samples, 1), Layout());
        AssertEveryBodyReadsBack(Samples + 30);
    }

    [Fact]
    public void Open_AStoreWithADictionary_PacksWithIt_WithoutTrainingAgain()
    {
        StoreTrained(0);

        using (var store = Open())
        {
            Store(store, Samples, 50);
        }

        Assert.Equal((50, Samples, 1), Layout());
        AssertEveryBodyReadsBack(Samples + 50);
    }

    [Fact]
    public void Compact_KeepsTheDictionary_AndPacksTheBrotliBodiesAgainWithIt()
    {
        StoreTrained(10);

        var result = StoreCompactor.Compact(data.Path)!;

        Assert.Equal(Samples, result.Repacked);
        Assert.Equal((Samples + 10, 0, 1), Layout());
        AssertEveryBodyReadsBack(Samples + 10);
    }

    [Fact]
    public void Compact_AStoreWithoutADictionary_TrainsOne_AndPacksEveryBodyWithIt()
    {
        // Written before dictionaries, as far as the file shows: every body packed by Brotli.
        const int Count = BodyDictionaryTrainer.SamplesWanted + 20;
        using (var store = ItemStore.Open(data.Path, TimeProvider.System, dictionarySamples: int.MaxValue))
        {
            Store(store, 0, Count);
        }

        var before = Layout();
        var result = StoreCompactor.Compact(data.Path)!;

        Assert.Equal((0, Count, 0), before);
        Assert.Equal(Count, result.Repacked);
        Assert.Equal(1, result.Documents[ItemStore.DictionaryCollection]);
        Assert.Equal((Count, 0, 1), Layout());
        Assert.True(result.BytesAfter < result.BytesBefore * 9 / 10, $"{result.BytesAfter} bytes after, {result.BytesBefore} before");
        AssertEveryBodyReadsBack(Count);
        using (var reopened = Open())
        {
            Store(reopened, Count, 5);
        }

        Assert.Equal((Count + 5, 0, 1), Layout());
    }

    [Fact]
    public void Compact_FewerBodiesThanAStoreTrainsOn_CopiesThemAsTheyAre()
    {
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            Store(store, 0, 30);
        }

        var result = StoreCompactor.Compact(data.Path)!;

        Assert.Equal(0, result.Repacked);
        Assert.Equal((0, 30, 0), Layout());
        AssertEveryBodyReadsBack(30);
    }

    [Fact]
    public void Upsert_ACorrectionAfterTraining_RepacksTheBodyWithTheDictionary()
    {
        StoreTrained(0);

        using (var store = Open())
        {
            var corrected = Candidate(0) with { Title = "Dépêche 0, corrigée" };
            Assert.Equal(1, store.Upsert("f", [corrected]).Updated);
        }

        Assert.Equal((1, Samples - 1, 1), Layout());
        AssertEveryBodyReadsBack(Samples);
    }

    [Fact]
    public async Task Export_InAProcessThatNeverSawTheDictionary_ReadsTheBodiesPackedWithIt()
    {
        var dataFolder = Path.Combine(data.Path, "data");
        Directory.CreateDirectory(dataFolder);
        File.WriteAllText(Path.Combine(data.Path, "feeds.json"), """{ "feeds": [ { "id": "f", "name": "Agence", "url": "http://127.0.0.1:9/f.xml" } ] }""");
        using (var store = ItemStore.Open(dataFolder, TimeProvider.System, dictionarySamples: Samples))
        {
            Store(store, 0, Samples);
            store.WaitForDictionary();
            store.Upsert("f", [Candidate(Samples) with { BodyHtml = "<p>Jeton-zstd</p>" + Candidate(Samples).BodyHtml }]);
        }

        // The other process knows no dictionary but the one it reads from the store.
        var (code, output, errors) = await AggregatorProcess.RunAsync(data.Path, "export", "--format", "json", "--limit", "100");

        Assert.True(code == 0, errors);
        Assert.Contains("Jeton-zstd", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_DocumentsOfTheEarlierLayouts_ReadBack_AndStayReadableOnceRewritten()
    {
        // Small bodies as plain strings (still written so), and large ones by Brotli with a null BodyText, as written
        // before dictionaries (now the text is left out).
        var small = Candidate(0) with { BodyHtml = "<p>Court</p>", BodyText = "Court" };
        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            store.Upsert("f", [small, Candidate(1)]);
        }

        using (var file = new LiteDatabase(Path.Combine(data.Path, ItemStore.FileName)))
        {
            var items = file.GetCollection("items");
            var brotli = items.FindOne(Query.EQ("Id", IdOf(1)));
            Assert.True(brotli["BodyHtml"].IsBinary);
            brotli["BodyText"] = BsonValue.Null;
            items.Update(brotli);
        }

        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            Assert.Equal(("<p>Court</p>", "Court"), (store.Find(IdOf(0))!.BodyHtml, store.Find(IdOf(0))!.BodyText));
            Assert.Equal(BodyDictionaryTests.Dispatch(1), (store.Find(IdOf(1))!.BodyHtml, store.Find(IdOf(1))!.BodyText));

            // Another outlet's copy joins each: the opener is read and written again with its bodies as they were.
            store.Upsert("g", [Candidate(2)], new JoinStory(IdOf(1)));
            store.Upsert("g", [Candidate(3)], new JoinStory(IdOf(0)));
        }

        using (var store = ItemStore.Open(data.Path, TimeProvider.System))
        {
            Assert.Equal(IdOf(1), store.Find(IdOf(1))!.StoryId);
            Assert.Equal(("<p>Court</p>", "Court"), (store.Find(IdOf(0))!.BodyHtml, store.Find(IdOf(0))!.BodyText));
            Assert.Equal(BodyDictionaryTests.Dispatch(1), (store.Find(IdOf(1))!.BodyHtml, store.Find(IdOf(1))!.BodyText));
        }
    }
}
