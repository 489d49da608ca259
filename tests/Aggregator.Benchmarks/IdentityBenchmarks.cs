using System.Globalization;
using Aggregator.Storage;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks;

/// <summary>
/// Is this item new? Checked at 10k and 1M stored items: the in-memory identity index and a LiteDB read by id,
/// beside the floor, a HashSet of the same 64-bit digests. Half the ids asked are stored, half are not.
/// </summary>
[MemoryDiagnoser]
public class IdentityBenchmarks
{
    private const int Asked = 1000;

    private readonly HashSet<ulong> _hashSet = [];
    private IdentityIndex _index = null!;
    private string[] _asked = [];
    private ItemStore? _store;
    private string? _directory;

    [Params(10_000, 1_000_000)]
    public int Items { get; set; }

    [GlobalSetup(Targets = [nameof(IndexLookup), nameof(HashSetFloor)])]
    public void SetupMemory()
    {
        _index = new IdentityIndex();
        for (var i = 0; i < Items; i++)
        {
            var id = StableId(i);
            _index.Add(id, 1);
            _hashSet.Add(IdentityIndex.KeyOf(id));
        }

        _asked = AskedIds();
    }

    /// <summary>A real store of small items (bodies do not matter to a read by id), kept between runs: filling it takes minutes.</summary>
    [GlobalSetup(Target = nameof(StoreRead))]
    public void SetupStore()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"aggregator-identity-bench-{Items}");
        var fresh = !File.Exists(Path.Combine(_directory, ItemStore.FileName));
        Directory.CreateDirectory(_directory);
        _store = ItemStore.Open(_directory, TimeProvider.System);
        if (fresh)
        {
            for (var start = 0; start < Items; start += 5000)
            {
                var batch = Enumerable.Range(start, Math.Min(5000, Items - start))
                    .Select(i => new ItemCandidate(Identity(i), null, "Titre", null, [], [], "", "", null, null))
                    .ToList();
                _store.Upsert("feed", batch);
            }
        }

        _asked = Enumerable.Range(0, Asked)
            .Select(i => i % 2 == 0 ? ItemIdentity.StableId("feed", Identity(i * (Items / Asked))) : ItemIdentity.StableId("feed", Identity(Items + i)))
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _store?.Dispose();

    [Benchmark(OperationsPerInvoke = Asked)]
    public int IndexLookup()
    {
        var known = 0;
        foreach (var id in _asked)
        {
            known += _index.Contains(id) ? 1 : 0;
        }

        return known;
    }

    [Benchmark(OperationsPerInvoke = Asked, Baseline = true)]
    public int HashSetFloor()
    {
        var known = 0;
        foreach (var id in _asked)
        {
            known += _hashSet.Contains(IdentityIndex.KeyOf(id)) ? 1 : 0;
        }

        return known;
    }

    /// <summary>What the store did before the index: read the item by id from LiteDB.</summary>
    [Benchmark(OperationsPerInvoke = Asked)]
    public int StoreRead()
    {
        var known = 0;
        foreach (var id in _asked)
        {
            known += _store!.Find(id) is null ? 0 : 1;
        }

        return known;
    }

    private string[] AskedIds() =>
        Enumerable.Range(0, Asked).Select(i => i % 2 == 0 ? StableId(i * (Items / Asked)) : StableId(Items + i)).ToArray();

    private static string Identity(int i) => "id:" + i.ToString(CultureInfo.InvariantCulture);

    private static string StableId(int i) => ItemIdentity.StableId("feed", Identity(i));
}
