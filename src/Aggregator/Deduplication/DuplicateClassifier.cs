namespace Aggregator.Deduplication;

/// <summary>Why two dispatches were judged the same story or not.</summary>
internal enum DuplicateReason
{
    /// <summary>Same normalised body: always the same story.</summary>
    SameText,

    /// <summary>The shorter text is mostly contained in the longer and no fact disagrees.</summary>
    SharedText,

    /// <summary>Too little of the shorter text is in the longer.</summary>
    DifferentText,

    /// <summary>The texts are alike but figures, dates or names in the same place disagree: another event or another day's report.</summary>
    ConflictingFacts,
}

/// <summary>The classifier's decision with the measures it rests on.</summary>
/// <param name="Containment">Share of the shorter text's three-word shingles found in the longer (0 to 1).</param>
/// <param name="FactConflicts">Facts of the shorter text found in the same place in the longer with another value.</param>
/// <param name="FactAgreements">Facts of the shorter text found in the same place in the longer with the same value.</param>
internal readonly record struct DuplicateVerdict(bool IsSameStory, DuplicateReason Reason, double Containment, int FactConflicts, int FactAgreements);

/// <summary>Decides whether two dispatches the index proposed are the same story, by their shared text and their facts.</summary>
internal sealed class DuplicateClassifier(DeduplicationSettings? settings = null)
{
    private readonly DeduplicationSettings _settings = settings ?? new DeduplicationSettings();

    /// <summary>The verdict of <see cref="Classify"/> alone: facts are compared only when the texts are alike enough.</summary>
    public bool IsSameStory(Fingerprint a, Fingerprint b)
    {
        var (shorter, longer) = Order(a, b);
        if (a.TextHash == b.TextHash && shorter.WordCount > 0)
        {
            return true;
        }

        return ContainsAtLeast(shorter, longer, _settings.MinContainment) && FactComparer.Compare(shorter, longer).Conflicts <= _settings.MaxFactConflicts;
    }

    public DuplicateVerdict Classify(Fingerprint a, Fingerprint b)
    {
        var (shorter, longer) = Order(a, b);
        if (a.TextHash == b.TextHash && shorter.WordCount > 0)
        {
            return new DuplicateVerdict(true, DuplicateReason.SameText, 1, 0, 0);
        }

        var containment = Containment(shorter, longer);
        var (conflicts, agreements) = FactComparer.Compare(shorter, longer);
        if (containment < _settings.MinContainment)
        {
            return new DuplicateVerdict(false, DuplicateReason.DifferentText, containment, conflicts, agreements);
        }

        return conflicts > _settings.MaxFactConflicts
            ? new DuplicateVerdict(false, DuplicateReason.ConflictingFacts, containment, conflicts, agreements)
            : new DuplicateVerdict(true, DuplicateReason.SharedText, containment, conflicts, agreements);
    }

    /// <summary>
    /// The first indexed item that is the same story as <paramref name="fingerprint"/>, or null. The index only
    /// proposes; <paramref name="load"/> gives a candidate's full fingerprint (from the store) for verification.
    /// </summary>
    public string? FindSameStory(Fingerprint fingerprint, DateTimeOffset published, NearDuplicateIndex index, Func<string, Fingerprint?> load)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(load);
        foreach (var candidate in index.Query(fingerprint, published))
        {
            if (load(candidate.Id) is { } other && IsSameStory(fingerprint, other))
            {
                return candidate.Id;
            }
        }

        return null;
    }

    // Which text counts as the shorter must not depend on argument order, so that the verdict is symmetric.
    private static (TextEvidence Shorter, TextEvidence Longer) Order(Fingerprint a, Fingerprint b) =>
        (a.Evidence.WordCount, a.Evidence.Shingles.Length, a.TextHash).CompareTo((b.Evidence.WordCount, b.Evidence.Shingles.Length, b.TextHash)) <= 0
            ? (a.Evidence, b.Evidence)
            : (b.Evidence, a.Evidence);

    /// <summary>
    /// <c>Containment(shorter, longer) &gt;= min</c>, stopping as soon as the answer is known: most candidates share
    /// few shingles, and the merge gives up on them about halfway.
    /// </summary>
    private static bool ContainsAtLeast(TextEvidence shorter, TextEvidence longer, double min)
    {
        var small = shorter.Shingles.AsSpan();
        var large = longer.Shingles.AsSpan();
        var n = small.Length;
        if (n == 0)
        {
            return 0 >= min;
        }

        var needed = SharedNeeded(n, min);
        return CountShared(small, large, needed) >= needed;
    }

    /// <summary>
    /// The fewest of a text's <paramref name="shingles"/> (more than zero) that another must share for a containment of
    /// at least <paramref name="min"/>, with the same division as <see cref="Containment"/>; one more than there are when none will do.
    /// </summary>
    internal static int SharedNeeded(int shingles, double min)
    {
        var needed = Math.Clamp((int)Math.Ceiling(min * shingles), 0, shingles + 1);
        while (needed > 0 && (double)(needed - 1) / shingles >= min)
        {
            needed--;
        }

        while (needed <= shingles && (double)needed / shingles < min)
        {
            needed++;
        }

        return needed;
    }

    private static double Containment(TextEvidence shorter, TextEvidence longer)
    {
        var small = shorter.Shingles.AsSpan();
        var large = longer.Shingles.AsSpan();
        if (small.Length == 0)
        {
            return 0;
        }

        return (double)CountShared(small, large, stopAt: -1) / small.Length;
    }

    /// <summary>
    /// How many of the sorted <paramref name="small"/> are in the sorted <paramref name="large"/>. With a
    /// <paramref name="stopAt"/> of zero or more, the merge stops once the count reaches it or no longer can.
    /// </summary>
    private static int CountShared(ReadOnlySpan<uint> small, ReadOnlySpan<uint> large, int stopAt)
    {
        int i = 0, j = 0, shared = 0;
        while (i < small.Length && j < large.Length)
        {
            if (stopAt >= 0 && (shared >= stopAt || shared + (small.Length - i) < stopAt))
            {
                return shared;
            }

            if (small[i] == large[j])
            {
                shared++;
                i++;
                j++;
            }
            else if (small[i] < large[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return shared;
    }
}
