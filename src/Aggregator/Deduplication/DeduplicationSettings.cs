namespace Aggregator.Deduplication;

/// <summary>Thresholds for recognising the same dispatch across outlets; the defaults were measured on the labelled pairs in the tests.</summary>
internal sealed record DeduplicationSettings
{
    /// <summary>How far apart in publication time two copies of a story may be (agencies re-run within hours, rarely days). Default 72 h.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(72);

    /// <summary>
    /// Largest Hamming distance between whole-text SimHashes at which the index proposes a candidate; every pair
    /// within it is found (up to 15). Default 3: the MinHash sketches propose the copies that edits push further
    /// apart (every duplicate of the labelled pairs shares a band), while French wire texts' SimHashes crowd
    /// together (the same function words weigh most in each): at 7, a query in a window of 40,000 items proposed
    /// 1,500 items, nearly all to be verified and rejected, and the steady state slowed as the window filled.
    /// </summary>
    public int MaxSimHashDistance { get; init; } = 3;

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
