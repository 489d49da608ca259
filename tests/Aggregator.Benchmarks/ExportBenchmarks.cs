using System.Globalization;
using System.Text;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Storage;
using BenchmarkDotNet.Attributes;

namespace Aggregator.Benchmarks;

/// <summary>
/// Rendering the combined feed after a change of the store (read the stories, then write the document), for
/// 100 and 500 entries of ~3 KB wire bodies in each format (goal: at most 20 ms for 500).
/// </summary>
[MemoryDiagnoser]
public class ExportBenchmarks
{
    private const int StoryCount = 600;

    private readonly string folder = Directory.CreateTempSubdirectory("aggregator-bench-").FullName;
    private ItemStore? store;
    private FeedExporter? exporter;
    private ExportFormat format;
    private int arrivals;
    private ActiveConfig? config;

    // A name, not the enum: ExportFormat is internal and BenchmarkDotNet parameters must be public.
    [Params("atom", "rss", "json")]
    public string Format { get; set; } = "atom";

    [Params(100, 500)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        store = ItemStore.Open(folder, TimeProvider.System);
        FeedConfig[] feeds = [.. Enumerable.Range(0, 6).Select(i => new FeedConfig
        {
            Id = $"agence-{i}",
            Url = new Uri($"https://agence-{i}.example/rss"),
            Name = $"Agence {i}",
            Category = i % 2 == 0 ? "Afrique" : "Monde",
        })];
        var start = new DateTime(2015, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var feed in feeds)
        {
            var index = Array.IndexOf(feeds, feed);
            var candidates = Enumerable.Range(0, StoryCount / feeds.Length)
                .Select(i => Candidate(feed.Id, i, start.AddMinutes((i * feeds.Length) + index)))
                .ToList();
            store.Upsert(feed.Id, candidates);
        }

        config = new ActiveConfig(new AggregatorConfig(new FeedDefaults(), new OutputSettings { MaxItems = 500 }, feeds), "feeds.json");
        exporter = new FeedExporter(store, config, TimeProvider.System);
        format = FeedFormats.TryParse(Format, out var parsed) ? parsed : throw new InvalidOperationException($"unknown format {Format}");
    }

    /// <summary>A new dispatch before each render, so every render follows a real change of the store.</summary>
    [IterationSetup(Target = nameof(RenderAfterChange))]
    public void NewStory()
    {
        arrivals++;
        store!.Upsert("agence-0", [Candidate("agence-0", 10_000 + arrivals, new DateTime(2015, 12, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(arrivals))]);
    }

    /// <summary>Rendering after a change: the page's other stories were read before and are reused.</summary>
    [Benchmark]
    public int RenderAfterChange() => exporter!.Render(format, FeedQuery.All with { Limit = Entries }).Length;

    /// <summary>The first render after start-up: every story's items read from the store.</summary>
    [Benchmark]
    public int RenderCold() => new FeedExporter(store!, config!, TimeProvider.System).Render(format, FeedQuery.All with { Limit = Entries }).Length;

    [GlobalCleanup]
    public void Cleanup()
    {
        store?.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private static ItemCandidate Candidate(string feedId, int i, DateTime published)
    {
        var body = new StringBuilder();
        var text = new StringBuilder();
        for (var p = 0; p < 6; p++)
        {
            var paragraph = string.Create(CultureInfo.InvariantCulture, $"ALGER, {i} nov ({feedId}) - Le paragraphe {p} de la dépêche {i} décrit l'accord signé entre les ministres, les chiffres du commerce ({i * p} milliards) et la réaction des marchés, avec « guillemets » et espaces fines.");
            body.Append("<p>").Append(paragraph).Append(' ').Append(paragraph).Append("</p>");
            text.Append(paragraph).Append(' ').Append(paragraph).Append('\n');
        }

        return new ItemCandidate(
            $"id:{feedId}-{i}",
            $"https://{feedId}.example/{i}.html",
            $"Dépêche {i} de {feedId} : l'accord et les marchés",
            i % 3 == 0 ? null : "Rédaction",
            ["Économie", "Politique"],
            i % 4 == 0 ? [new StoredEnclosure { Url = $"https://{feedId}.example/{i}.jpg", MediaType = "image/jpeg", Length = 40_000 }] : [],
            body.ToString(),
            text.ToString(),
            published,
            null);
    }
}
