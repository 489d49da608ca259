using System.Collections.Immutable;

namespace Aggregator.Deduplication;

/// <summary>Computes a dispatch's <see cref="Fingerprint"/> from its title and plain-text body.</summary>
/// <remarks>
/// The shape (shingle sizes, weights, lead length) is fixed rather than configurable: fingerprints are
/// stored, and a change here makes stored ones incomparable with new ones. <see cref="Version"/> says which shape.
/// </remarks>
internal static class Fingerprinter
{
    /// <summary>Bumped whenever a change makes new fingerprints incomparable with stored ones.</summary>
    public const int Version = 1;

    /// <summary>Body words the lead sketch covers: about the first two sentences, which outlets that cut still keep.</summary>
    public const int LeadWords = 40;

    private const int TitleWeight = 2;
    private const int SketchHashes = 8;

    private static readonly ulong[] SketchSeeds =
    [
        0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89,
        0x452821E638D01377, 0xBE5466CF34E90C6C, 0xC0AC29B7C97C50DD, 0x3F84D5B5B5470917,
    ];

    private static readonly ulong[] SketchMultipliers =
    [
        0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93,
        0xA0761D6478BD642F, 0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3,
    ];

    public static Fingerprint Compute(string? title, string? text)
    {
        var titleWords = TextNormalizer.Tokenize(title);
        var bodyWords = TextNormalizer.Tokenize(text);
        if (bodyWords.Count == 0)
        {
            // A title-only item is compared on its title, so that two copies of it still meet.
            bodyWords = titleWords;
        }

        var titleHashes = HashWords(titleWords);
        var bodyHashes = HashWords(bodyWords);

        var whole = default(SimHash);
        AddShingles(ref whole, bodyHashes, 1);
        AddShingles(ref whole, titleHashes, TitleWeight);

        var shingles = Shingles(bodyHashes);
        var leadShingles = Shingles(bodyHashes[..Math.Min(LeadWords, bodyHashes.Length)]);
        var evidence = new TextEvidence(shingles, Facts(bodyWords, bodyHashes), bodyWords.Count);
        return new Fingerprint(whole.Value, Sketch(shingles.AsSpan()), Sketch(leadShingles.AsSpan()), TextHash(bodyHashes), evidence);
    }

    private static ulong[] HashWords(List<NormalizedWord> words)
    {
        var hashes = new ulong[words.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = StableHash.Of(words[i].Word);
        }

        return hashes;
    }

    // Single words carry the vocabulary, two- and three-word shingles the phrasing; very short words
    // (de, la, le...) are left out as single words since every French text shares them.
    private static void AddShingles(ref SimHash simHash, ReadOnlySpan<ulong> words, int weight)
    {
        for (var i = 0; i < words.Length; i++)
        {
            simHash.Add(words[i], weight);
            if (i + 1 < words.Length)
            {
                var pair = StableHash.Combine(words[i], words[i + 1]);
                simHash.Add(pair, weight);
                if (i + 2 < words.Length)
                {
                    simHash.Add(StableHash.Combine(pair, words[i + 2]), weight);
                }
            }
        }
    }

    // Eight MinHashes in four bands of two: two texts share a band with probability J² (J the shingles' Jaccard),
    // so at least one of four when J ≈ 0.9 almost surely, when J ≈ 0.1 (unrelated texts) about 4% of the time.
    private static UInt128 Sketch(ReadOnlySpan<ulong> shingles)
    {
        if (shingles.IsEmpty)
        {
            return 0;
        }

        Span<ulong> minima = stackalloc ulong[SketchHashes];
        minima.Fill(ulong.MaxValue);
        foreach (var shingle in shingles)
        {
            for (var i = 0; i < SketchHashes; i++)
            {
                // The shingle is already a well-mixed hash: one xor and one odd multiply make a fresh permutation.
                minima[i] = Math.Min(minima[i], (shingle ^ SketchSeeds[i]) * SketchMultipliers[i]);
            }
        }

        var sketch = UInt128.Zero;
        for (var band = 0; band < SketchHashes / 2; band++)
        {
            var key = (uint)StableHash.Combine(minima[2 * band], minima[(2 * band) + 1]);
            sketch |= (UInt128)key << (32 * band);
        }

        return sketch;
    }

    private static ImmutableArray<ulong> Shingles(ulong[] words)
    {
        if (words.Length < 3)
        {
            return [.. words.Distinct().Order()];
        }

        var shingles = new ulong[words.Length - 2];
        for (var i = 0; i < shingles.Length; i++)
        {
            shingles[i] = StableHash.Combine(StableHash.Combine(words[i], words[i + 1]), words[i + 2]);
        }

        Array.Sort(shingles);
        var distinct = shingles.AsSpan(0, Deduplicate(shingles));
        return [.. distinct];
    }

    private static int Deduplicate(ulong[] sorted)
    {
        var count = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (count == 0 || sorted[count - 1] != sorted[i])
            {
                sorted[count++] = sorted[i];
            }
        }

        return count;
    }

    private static ImmutableArray<Fact> Facts(List<NormalizedWord> words, ulong[] hashes)
    {
        var facts = ImmutableArray.CreateBuilder<Fact>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var kind = word.IsNumber ? FactKind.Figure
                : word.IsCapitalized && !word.StartsSentence && word.Word.Length >= 2 ? FactKind.Name
                : (FactKind?)null;
            if (kind is { } k)
            {
                var before = i >= 2 ? StableHash.Combine(hashes[i - 2], hashes[i - 1]) : 0;
                var after = i + 2 < hashes.Length ? StableHash.Combine(hashes[i + 1], hashes[i + 2]) : 0;
                facts.Add(new Fact(k, word.Word, before, after));
            }
        }

        return facts.ToImmutable();
    }

    private static ulong TextHash(ulong[] words)
    {
        var hash = 0x5DEECE66DUL;
        foreach (var word in words)
        {
            hash = StableHash.Combine(hash, word);
        }

        return hash;
    }
}
