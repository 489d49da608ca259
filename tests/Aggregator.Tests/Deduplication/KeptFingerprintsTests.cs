using Aggregator.Deduplication;
using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Deduplication;

/// <summary>The deduplicator beyond the fingerprints it keeps whole: the samples of the older ones spare reading them back.</summary>
public sealed class KeptFingerprintsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public void Match_BeyondTheKeptFingerprints_SamplesSpareTheReadsAndTheStoriesStayTheSame()
    {
        var dispatches = SyntheticDispatches.Of(feeds: 20, perFeed: 30, copyEvery: 4, now: Now).ToList();

        var (stories, deduplicator) = Ingest(Path.Combine(data.Path, "kept"), dispatches, StoryDeduplicator.MaxKeptFingerprints);
        var (fewKept, fewKeptDeduplicator) = Ingest(Path.Combine(data.Path, "few"), dispatches, keptFingerprints: 8);

        // The same stories in both, though the full fingerprints of most candidates were gone in the second.
        Assert.Equal(stories, fewKept);
        var copies = dispatches.Count(d => d.Id.Contains("copy", StringComparison.Ordinal));
        Assert.InRange(stories.Sum(s => s.Length - 1), copies * 0.95, copies);
        Assert.Equal(0, deduplicator.CandidatesRuledOut);

        // With 8 fingerprints kept, the candidates read back are about one a copy (its original); the others, 460 of
        // them, were ruled out.
        var (read, ruledOut) = (fewKeptDeduplicator.CandidatesRead, fewKeptDeduplicator.CandidatesRuledOut);
        Assert.True(read <= copies * 1.1 && ruledOut > 2 * read, $"{read} read, {ruledOut} ruled out");
    }

    /// <summary>Stores the dispatches one by one as feed "f" through a deduplicator; the stories of more than one item, as sorted id lists.</summary>
    private static (List<string[]> Stories, StoryDeduplicator Deduplicator) Ingest(string folder, List<(string Id, string Title, string Text, DateTimeOffset Published)> dispatches, int keptFingerprints)
    {
        Directory.CreateDirectory(folder);
        var clock = new ManualTimeProvider(Now);
        using var store = ItemStore.Open(folder, clock);
        var deduplicator = new StoryDeduplicator(store, clock, new DeduplicationSettings(), keptFingerprints);
        foreach (var (id, title, text, published) in dispatches)
        {
            store.Upsert("f", [new ItemCandidate($"id:{id}", null, title, null, [], [], $"<p>{text}</p>", text, published.UtcDateTime, null)], deduplicator);
        }

        var stories = store.LatestStories(dispatches.Count)
            .Where(s => s.ItemIds.Count > 1)
            .Select(s => s.ItemIds.Select(i => store.Find(i)!.Identity).Order(StringComparer.Ordinal).ToArray())
            .OrderBy(s => s[0], StringComparer.Ordinal)
            .ToList();
        return (stories, deduplicator);
    }
}
