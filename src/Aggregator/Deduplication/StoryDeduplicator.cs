using Aggregator.Storage;

namespace Aggregator.Deduplication;

/// <summary>
/// Places each new item in a story: the story of an earlier copy of the same dispatch (same canonical link, or
/// a near-duplicate text within the time window), else a story of its own. The index lives in memory and is
/// rebuilt from the store's recent items on first use, so it survives restarts.
/// </summary>
/// <param name="keptFingerprints">Full fingerprints kept (<see cref="MaxKeptFingerprints"/>); tests make it small.</param>
internal sealed class StoryDeduplicator(ItemStore store, TimeProvider time, DeduplicationSettings settings, int keptFingerprints = StoryDeduplicator.MaxKeptFingerprints) : IStoryMatcher
{
    private readonly NearDuplicateIndex index = new(settings);
    private readonly DuplicateClassifier classifier = new(settings);
    private readonly Dictionary<string, string> storyByLink = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, string? Link, DateTime Published)> remembered = new();
    private readonly Dictionary<string, string> storyById = new(StringComparer.Ordinal);
    private readonly FingerprintCache fingerprints = new(keptFingerprints);
    private (string Id, Fingerprint Print)? matched;
    private bool warm;

    /// <summary>
    /// Full fingerprints kept for verifying candidates, the newest first: a candidate is otherwise read from the
    /// store, unpacked and fingerprinted again (over a hundred microseconds). About 1.8 KB each for a 3 KB synthetic
    /// dispatch (measured with GC.GetTotalMemory over a thousand), so about 30 MB when full. Older ones, back to
    /// twice the window, leave a <see cref="ShingleSample"/> (about 170 bytes with its entry) that rules out most false
    /// candidates without reading them.
    /// </summary>
    public const int MaxKeptFingerprints = 16384;

    /// <summary>Candidates read back from the store and fingerprinted again to be verified.</summary>
    public long CandidatesRead { get; private set; }

    /// <summary>Candidates whose kept sample ruled them out, so they were not read back from the store.</summary>
    public long CandidatesRuledOut { get; private set; }

    public string? Match(StoredItem item) => Match(item, null);

    /// <summary>The fingerprint, computed off the store's write lock: the one thing here that needs none.</summary>
    public object? Prepare(string title, string bodyText) => Fingerprinter.Compute(title, bodyText);

    public string? Match(StoredItem item, object? prepared)
    {
        EnsureWarm();
        var fingerprint = prepared is Fingerprint computed ? computed : Fingerprinter.Compute(item.Title, item.BodyText);
        item.SimHash = unchecked((long)fingerprint.SimHash);
        (item.SketchHigh, item.SketchLow) = Split(fingerprint.Sketch);
        (item.LeadSketchHigh, item.LeadSketchLow) = Split(fingerprint.LeadSketch);
        matched = (item.Id, fingerprint);
        if (item.Link is not null && storyByLink.TryGetValue(item.Link, out var sameLink))
        {
            return sameLink;
        }

        var published = new DateTimeOffset(DateTime.SpecifyKind(item.Published, DateTimeKind.Utc));
        var match = classifier.FindSameStory(fingerprint, published, index, id => Load(id, fingerprint));
        return match is null ? null : storyById.TryGetValue(match, out var story) ? story : store.Find(match)?.StoryId;
    }

    /// <summary>A corrected item's text changed: it is fingerprinted and indexed anew (its story stays the same).</summary>
    public void Corrected(StoredItem item)
    {
        EnsureWarm();
        var fingerprint = Fingerprinter.Compute(item.Title, item.BodyText);
        item.SimHash = unchecked((long)fingerprint.SimHash);
        (item.SketchHigh, item.SketchLow) = Split(fingerprint.Sketch);
        (item.LeadSketchHigh, item.LeadSketchLow) = Split(fingerprint.LeadSketch);
        fingerprints.Remove(item.Id);
        if (index.Contains(item.Id))
        {
            index.Add(item.Id, fingerprint, new DateTimeOffset(DateTime.SpecifyKind(item.Published, DateTimeKind.Utc)));
            fingerprints.Add(item.Id, fingerprint);
        }
    }

    public void Remember(StoredItem item)
    {
        var published = DateTime.SpecifyKind(item.Published, DateTimeKind.Utc);
        index.Add(item.Id, unchecked((ulong)item.SimHash), Join(item.SketchHigh, item.SketchLow), Join(item.LeadSketchHigh, item.LeadSketchLow), new DateTimeOffset(published));
        if (item.Link is not null)
        {
            storyByLink[item.Link] = item.StoryId;
        }

        if (matched is { } print && print.Id == item.Id)
        {
            fingerprints.Add(item.Id, print.Print);
        }

        matched = null;
        storyById[item.Id] = item.StoryId;
        remembered.Enqueue((item.Id, item.Link, published));
        Forget(time.GetUtcNow().UtcDateTime - (2 * settings.Window));
    }

    /// <summary>How many items the index holds: the recent ones, within about twice the window.</summary>
    public int IndexedCount => index.Count;

    /// <summary>
    /// Rebuilds the index from the store's items within the window, once. The store calls it before its write
    /// transaction: read inside it, a window of 2,000 items held 6,000 pages until the commit, 48 MB of LiteDB's cache
    /// that the process kept.
    /// </summary>
    public void Warm() => EnsureWarm();

    private void EnsureWarm()
    {
        if (warm)
        {
            return;
        }

        warm = true;
        foreach (var item in store.ItemsSince(time.GetUtcNow().UtcDateTime - settings.Window))
        {
            Remember(item);
        }
    }

    /// <summary>Drops items too old to match anything new, so a long-running process keeps a bounded index.</summary>
    private void Forget(DateTime before)
    {
        while (remembered.TryPeek(out var oldest) && oldest.Published < before)
        {
            remembered.Dequeue();
            index.Remove(oldest.Id);
            fingerprints.Remove(oldest.Id);
            if (storyById.Remove(oldest.Id, out var story) && oldest.Link is not null && storyByLink.GetValueOrDefault(oldest.Link) == story)
            {
                storyByLink.Remove(oldest.Link);
            }
        }
    }

    /// <summary>
    /// A candidate's full fingerprint: kept, or read from the store and kept; null when it is not stored, or when its
    /// kept sample rules it out as a copy of <paramref name="query"/> (it is then not read).
    /// </summary>
    private Fingerprint? Load(string id, Fingerprint query)
    {
        if (fingerprints.TryGet(id, out var kept))
        {
            return kept;
        }

        if (fingerprints.TryGetSample(id, out var sample) && sample.RulesOut(query, settings.MinContainment))
        {
            CandidatesRuledOut++;
            return null;
        }

        CandidatesRead++;
        if (store.Find(id) is not { } other)
        {
            return null;
        }

        var fingerprint = Fingerprinter.Compute(other.Title, other.BodyText);
        fingerprints.Add(id, fingerprint);
        return fingerprint;
    }

    private static (long High, long Low) Split(UInt128 value) => (unchecked((long)(ulong)(value >> 64)), unchecked((long)(ulong)value));

    private static UInt128 Join(long high, long low) => new(unchecked((ulong)high), unchecked((ulong)low));
}
