using Aggregator.Cleaning;
using Aggregator.Hosting;
using Aggregator.Storage;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks;

/// <summary>
/// Packing and unpacking a clean ~3 KB body as the store does: by Brotli alone (a store without a dictionary yet, or
/// written before), and by zstd with a dictionary trained on 256 other bodies, as a store trains its own.
/// </summary>
[MemoryDiagnoser]
public class BodyPackingBenchmarks
{
    private const int Trained = BodyDictionaryTrainer.SamplesWanted;
    private readonly List<(string Html, string Text)> _bodies = [];
    private readonly List<PackedBodies> _brotli = [];
    private readonly List<PackedBodies> _zstd = [];
    private BodyDictionaryTrainer _trainer = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var cleaner = new HtmlCleaner();
        var published = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        _trainer = new BodyDictionaryTrainer(_ => { });
        for (var i = 0; i < Trained + 64; i++)
        {
            var feed = i % 40;
            var body = cleaner.Clean(SyntheticFeeds.Body(SyntheticFeeds.RandomFor(3, feed, i), feed, i, published), new Uri($"https://agence{feed}.example/{i}.htm"));
            if (i < Trained)
            {
                BodyPacking.Pack(body.Html, body.Text, _trainer);
                continue;
            }

            _trainer.Training.Wait();
            _bodies.Add((body.Html, body.Text));
            _brotli.Add(BodyPacking.Pack(body.Html, body.Text));
            _zstd.Add(BodyPacking.Pack(body.Html, body.Text, _trainer));
        }

        Console.WriteLine($"// packed: Brotli {_brotli.Average(p => p.Html!.AsBinary.Length):F0} bytes, zstd with the dictionary {_zstd.Average(p => p.Body!.AsBinary.Length):F0}");
    }

    private int Next() => _next = (_next + 1) % _bodies.Count;

    [Benchmark(Baseline = true)]
    public object PackBrotli()
    {
        var (html, text) = _bodies[Next()];
        return BodyPacking.Pack(html, text);
    }

    [Benchmark]
    public object PackZstdWithDictionary()
    {
        var (html, text) = _bodies[Next()];
        return BodyPacking.Pack(html, text, _trainer);
    }

    [Benchmark]
    public (string, string) UnpackBrotli() => BodyPacking.Unpack(_brotli[Next()]);

    [Benchmark]
    public (string, string) UnpackZstdWithDictionary() => BodyPacking.Unpack(_zstd[Next()]);
}
