using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aggregator.Deduplication;

/// <summary>
/// What is kept of a dispatch's fingerprint once the cache lets the full one go: 16 bits of each of its
/// <see cref="Size"/> lowest shingle hashes (the highest bits the largest of them uses), its sizes and its text
/// hash: 152 bytes instead of about 1.8 KB.
/// The shingle hashes are uniform, so the lowest of them are a random sample of the dispatch's shingles, and the
/// share of them found in another text estimates the share of all of them found there.
/// </summary>
/// <remarks>
/// <see cref="RulesOut"/> answers whether a queried text can be the same story as the sampled dispatch, without the
/// dispatch's full fingerprint, which would otherwise be read back from the store and computed again. It only
/// ever answers "cannot" when the containment the classifier needs would have produced a sample this poor with a
/// probability under <see cref="FalseRuleOut"/>; anything else is verified in full, as before. Keeping 16 bits of
/// each hash can only find more of the sample in the queried text than is there, which makes it rule out less, never
/// more. The chance is over the hash function: the hashes are fixed, so a given pair always gets the same answer.
/// </remarks>
internal readonly struct ShingleSample
{
    /// <summary>
    /// Hashes kept. Of the candidates the index proposed among 6,000 synthetic dispatches (which share template
    /// phrases, and so a tenth to a fifth of their shingles), 32 ruled out 69%, 48 ruled out 98.7%, 64 all but one.
    /// </summary>
    public const int Size = 64;

    /// <summary>The chance, at most, that a sample rules out a text the full check would have found the same story.</summary>
    public const double FalseRuleOut = 1e-6;

    private static readonly double RuleOutNats = -Math.Log(FalseRuleOut);

    private readonly Prefixes prefixes;
    private readonly byte count;

    // The lowest hashes of a long text are small numbers: their top 16 bits would be mostly zeros, and would match
    // many of another text's hashes by chance. The bits kept start at the largest sampled hash's highest bit.
    private readonly byte shift;
    private readonly int shingles;
    private readonly int words;
    private readonly ulong textHash;

    private ShingleSample(Fingerprint fingerprint)
    {
        var sorted = fingerprint.Evidence.Shingles.AsSpan();
        count = (byte)Math.Min(Size, sorted.Length);
        shift = count == 0 ? (byte)0 : (byte)Math.Max(0, 16 - BitOperations.LeadingZeroCount(sorted[count - 1]));
        for (var i = 0; i < count; i++)
        {
            prefixes[i] = (ushort)(sorted[i] >> shift);
        }

        shingles = sorted.Length;
        words = fingerprint.Evidence.WordCount;
        textHash = fingerprint.TextHash;
    }

    public static ShingleSample Of(Fingerprint fingerprint) => new(fingerprint);

    /// <summary>
    /// True when <paramref name="query"/> cannot be the same story as the sampled dispatch by the classifier's rule
    /// (<see cref="DuplicateClassifier.IsSameStory"/> with <paramref name="minContainment"/>), but for a chance under
    /// <see cref="FalseRuleOut"/>; false when only the full check can tell.
    /// </summary>
    public bool RulesOut(Fingerprint query, double minContainment)
    {
        var evidence = query.Evidence;
        if (query.TextHash == textHash || shingles == 0 || evidence.Shingles.Length == 0)
        {
            return false;
        }

        // The same order as the classifier's: the shorter text's shingles are the ones that must be contained.
        var queryIsShorter = (evidence.WordCount, evidence.Shingles.Length, query.TextHash).CompareTo((words, shingles, textHash)) <= 0;
        var needed = DuplicateClassifier.SharedNeeded(queryIsShorter ? evidence.Shingles.Length : shingles, minContainment);
        if (needed > shingles)
        {
            // More shingles must be shared than the sampled dispatch has.
            return true;
        }

        var found = Found(evidence.Shingles.AsSpan());
        if (count == shingles)
        {
            // The sample is every shingle: exact, but for the prefixes' chance matches, which only add.
            return found < needed;
        }

        // Sampled without replacement, found falls below its mean as a binomial's would at most (Hoeffding), so the
        // Chernoff bound exp(-n·D(found/n ‖ share)) bounds the chance of a sample this poor from a true copy.
        var share = (double)needed / shingles;
        var seen = (double)found / count;
        return seen < share && count * Divergence(seen, share) > RuleOutNats;
    }

    /// <summary>How many of the sample's prefixes some shingle of <paramref name="sorted"/> begins with.</summary>
    private int Found(ReadOnlySpan<uint> sorted)
    {
        int found = 0, j = 0;
        for (var i = 0; i < count; i++)
        {
            var prefix = prefixes[i];
            while (j < sorted.Length && sorted[j] >> shift < prefix)
            {
                j++;
            }

            if (j == sorted.Length)
            {
                break;
            }

            if (sorted[j] >> shift == prefix)
            {
                found++;
            }
        }

        return found;
    }

    /// <summary>Kullback-Leibler divergence of a Bernoulli(<paramref name="q"/>) from a Bernoulli(<paramref name="p"/>), in nats.</summary>
    private static double Divergence(double q, double p) =>
        (q == 0 ? 0 : q * Math.Log(q / p)) + (q == 1 ? 0 : (1 - q) * Math.Log((1 - q) / (1 - p)));

    [InlineArray(Size)]
    private struct Prefixes
    {
        private ushort first;
    }
}
