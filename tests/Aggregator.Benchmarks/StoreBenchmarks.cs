using System.Globalization;
using Aggregator.Cleaning;
using Aggregator.Hosting;
using Aggregator.Storage;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks;

/// <summary>
/// Storing a batch of 50 and of 5,000 new ~3 KB items in a real LiteDB file in a temp folder (no deduplication),
/// once the store has trained its body dictionary on 300 distinct bodies, as a store does on its first.
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private readonly List<ItemCandidate> _templates = [];
    private ItemStore _store = null!;
    private string _directory = "";
    private int _batches;

    [Params(50, 5000)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var cleaner = new HtmlCleaner();
        var link = new Uri("https://agence1.example/depeche.htm");
        var published = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 300; i++)
        {
            var body = cleaner.Clean(SyntheticFeeds.Body(SyntheticFeeds.RandomFor(1, i % 40, i), i % 40, i, published), link);
            _templates.Add(new ItemCandidate("", link.AbsoluteUri, $"Dépêche {i}", null, ["Monde"], [], body.Html, body.Text, published.AddMinutes(i), null));
        }

        _directory = Path.Combine(Path.GetTempPath(), "aggregator-store-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        _store = ItemStore.Open(_directory, TimeProvider.System);
        _store.Upsert("first", [.. _templates.Select((t, i) => t with { Identity = string.Create(CultureInfo.InvariantCulture, $"id:first-{i}") })]);
        _store.WaitForDictionary();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Every call stores new items: identities never seen, bodies from the templates.</summary>
    [Benchmark]
    public int Upsert()
    {
        var batch = _batches++;
        var candidates = new List<ItemCandidate>(Batch);
        for (var i = 0; i < Batch; i++)
        {
            candidates.Add(_templates[i % _templates.Count] with { Identity = string.Create(CultureInfo.InvariantCulture, $"id:{batch}-{i}") });
        }

        return _store.Upsert("feed", candidates).New;
    }
}
