namespace Aggregator.Deduplication;

/// <summary>Thresholds for recognising the same dispatch across outlets; the defaults were measured on the labelled pairs in the tests.</summary>
internal sealed record DeduplicationSettings
{
    /// <summary>How far apart in publication time two copies of a story may be (agencies re-run within hours, rarely days). Default 72 h.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(72);

    /// <summary>
    /// Largest Hamming distance between whole-text SimHashes at which the index proposes a candidate; every pair
    /// within it is found (up to 15). Default 7: wider costs much more per query (11 is about eight times slower),
    /// and the MinHash sketches already propose the copies that small edits push further apart.
    /// </summary>
    public int MaxSimHashDistance { get; init; } = 7;

    /// <summary>Most candidates a query returns, closest first. Default 32.</summary>
    public int MaxCandidates { get; init; } = 32;

    /// <summary>
    /// Share of the shorter text's three-word shingles that must also be in the longer one. Containment rather
    /// than Jaccard, because outlets cut paragraphs or carry only the lead. Default 0.5.
    /// </summary>
    public double MinContainment { get; init; } = 0.5;

    /// <summary>
    /// Facts (figures, dates, names) found in the same place in both texts with different values, beyond which
    /// two texts are different stories however alike their words: templated reports differ only there. Default 0.
    /// </summary>
    public int MaxFactConflicts { get; init; }
}
