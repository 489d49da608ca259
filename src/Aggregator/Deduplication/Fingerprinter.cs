using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    private const ulong TextHashSeed = 0x5DEECE66DUL;

    private const ulong Seed0 = 0x243F6A8885A308D3, Seed1 = 0x13198A2E03707344, Seed2 = 0xA4093822299F31D0, Seed3 = 0x082EFA98EC4E6C89;
    private const ulong Seed4 = 0x452821E638D01377, Seed5 = 0xBE5466CF34E90C6C, Seed6 = 0xC0AC29B7C97C50DD, Seed7 = 0x3F84D5B5B5470917;
    private const ulong Multiplier0 = 0x9E3779B97F4A7C15, Multiplier1 = 0xBF58476D1CE4E5B9, Multiplier2 = 0x94D049BB133111EB, Multiplier3 = 0xD6E8FEB86659FD93;
    private const ulong Multiplier4 = 0xA0761D6478BD642F, Multiplier5 = 0xE7037ED1A0B428DB, Multiplier6 = 0x8EBC6AF09C88C6E3, Multiplier7 = 0x589965CC75374CC3;

    public static Fingerprint Compute(string? title, string? text)
    {
        var body = new WordHashes(ExpectedWords(text), keepFacts: true);
        var titleWords = new WordHashes(ExpectedWords(title), keepFacts: false);
        try
        {
            TextNormalizer.Scan(text, ref body);
            TextNormalizer.Scan(title, ref titleWords);
            if (body.Count == 0)
            {
                // A title-only item is compared on its title, so that two copies of it still meet.
                TextNormalizer.Scan(title, ref body);
            }

            return Compute(body, titleWords.Hashes);
        }
        finally
        {
            body.Dispose();
            titleWords.Dispose();
        }
    }

    private static int ExpectedWords(string? text) => (text?.Length ?? 0) / 5;

    private static Fingerprint Compute(in WordHashes body, ReadOnlySpan<ulong> titleWords)
    {
        var words = body.Hashes;
        var n = words.Length;

        // Each shingle is hashed once here and reused by the SimHash, both sketches and the evidence.
        var rented = ArrayPool<ulong>.Shared.Rent(Math.Max(1, 3 * n));
        try
        {
            var pairs = rented.AsSpan(0, Math.Max(0, n - 1));
            var triples = rented.AsSpan(n, Math.Max(0, n - 2));

            // Below three words the words themselves stand in for shingles.
            var textHash = TextHashSeed;
            var (sketch, leadSketch) = n < 3
                ? (Sketch(Shingle(words, pairs, triples, ref textHash)), Sketch(words))
                : ShingleAndSketch(words, pairs, triples, Math.Min(LeadWords, n) - 2, ref textHash);

            var whole = default(SimHash);
            whole.Add(words, 1);
            whole.Add(pairs, 1);
            whole.Add(triples, 1);
            AddTitle(ref whole, titleWords);

            var shingles = n < 3 ? words : triples;
            var sorted = rented.AsSpan(2 * n, shingles.Length);
            HashSort.Sort(shingles, sorted);
            var distinct = sorted[..HashSort.Deduplicate(sorted)];

            var evidence = new TextEvidence(TopHalves(distinct), body.Facts(pairs), n);
            return new Fingerprint(whole.Value, sketch, leadSketch, textHash, evidence);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    // Sorted 64-bit hashes keep their order in their top halves; equal halves become one.
    private static ImmutableArray<uint> TopHalves(ReadOnlySpan<ulong> sorted)
    {
        var halves = new uint[sorted.Length];
        var count = 0;
        foreach (var hash in sorted)
        {
            var half = (uint)(hash >> 32);
            if (count == 0 || halves[count - 1] != half)
            {
                halves[count++] = half;
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(count == halves.Length ? halves : halves[..count]);
    }

    // Single words carry the vocabulary, two- and three-word shingles the phrasing. The title's are few.
    private static void AddTitle(ref SimHash simHash, ReadOnlySpan<ulong> words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            simHash.Add(words[i], TitleWeight);
            if (i + 1 < words.Length)
            {
                var pair = StableHash.Combine(words[i], words[i + 1]);
                simHash.Add(pair, TitleWeight);
                if (i + 2 < words.Length)
                {
                    simHash.Add(StableHash.Combine(pair, words[i + 2]), TitleWeight);
                }
            }
        }
    }

    // A short text's shingles are its words; shingle them anyway for the facts' neighbours.
    private static ReadOnlySpan<ulong> Shingle(ReadOnlySpan<ulong> words, Span<ulong> pairs, Span<ulong> triples, ref ulong textHash)
    {
        foreach (var word in words)
        {
            textHash = StableHash.Combine(textHash, word);
        }

        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = StableHash.Combine(words[i], words[i + 1]);
        }

        for (var i = 0; i < triples.Length; i++)
        {
            triples[i] = StableHash.Combine(pairs[i], words[i + 2]);
        }

        return words;
    }

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
            MinHash(shingle, minima);
        }

        return Bands(minima);
    }

    // Eight MinHashes in four bands of two: two texts share a band with probability J² (J the shingles' Jaccard),
    // so at least one of four when J ≈ 0.9 almost surely, when J ≈ 0.1 (unrelated texts) about 4% of the time.
    // A minimum ignores order and repeats, so the raw shingles serve, and the lead's minima are those of a prefix.
    // The text hash is chained here too: each of its steps waits on the one before, and the shingles' independent
    // work fills that wait.
    private static (UInt128 Sketch, UInt128 Lead) ShingleAndSketch(ReadOnlySpan<ulong> words, Span<ulong> pairs, Span<ulong> triples, int leadShingles, ref ulong textHash)
    {
        Span<ulong> minima = stackalloc ulong[SketchHashes];
        minima.Fill(ulong.MaxValue);
        Pass(words, pairs, triples, 0, leadShingles, minima, ref textHash);
        var lead = Bands(minima);
        Pass(words, pairs, triples, leadShingles, triples.Length, minima, ref textHash);
        var sketch = Bands(minima);

        // The last two words start no three-word shingle.
        var last = words.Length - 1;
        pairs[last - 1] = StableHash.Combine(words[last - 1], words[last]);
        textHash = StableHash.Combine(StableHash.Combine(textHash, words[last - 1]), words[last]);
        return (sketch, lead);
    }

    private static void Pass(ReadOnlySpan<ulong> words, Span<ulong> pairs, Span<ulong> triples, int from, int to, Span<ulong> minima, ref ulong textHash)
    {
        var chain = textHash;
        var low = Vector256.Create<ulong>(minima);
        var high = Vector256.Create<ulong>(minima[4..]);
        var seedsLow = Vector256.Create(Seed0, Seed1, Seed2, Seed3);
        var seedsHigh = Vector256.Create(Seed4, Seed5, Seed6, Seed7);
        var multipliersLow = Vector256.Create(Multiplier0, Multiplier1, Multiplier2, Multiplier3);
        var multipliersHigh = Vector256.Create(Multiplier4, Multiplier5, Multiplier6, Multiplier7);
        for (var i = from; i < to; i++)
        {
            var word = words[i];
            chain = StableHash.Combine(chain, word);
            var pair = StableHash.Combine(word, words[i + 1]);
            var shingle = StableHash.Combine(pair, words[i + 2]);
            pairs[i] = pair;
            triples[i] = shingle;

            // The shingle is already a well-mixed hash: one xor and one odd multiply make a fresh permutation.
            var spread = Vector256.Create(shingle);
            low = Vector256.Min(low, (spread ^ seedsLow) * multipliersLow);
            high = Vector256.Min(high, (spread ^ seedsHigh) * multipliersHigh);
        }

        low.CopyTo(minima);
        high.CopyTo(minima[4..]);
        textHash = chain;
    }

    private static void MinHash(ulong shingle, Span<ulong> minima)
    {
        minima[0] = Math.Min(minima[0], (shingle ^ Seed0) * Multiplier0);
        minima[1] = Math.Min(minima[1], (shingle ^ Seed1) * Multiplier1);
        minima[2] = Math.Min(minima[2], (shingle ^ Seed2) * Multiplier2);
        minima[3] = Math.Min(minima[3], (shingle ^ Seed3) * Multiplier3);
        minima[4] = Math.Min(minima[4], (shingle ^ Seed4) * Multiplier4);
        minima[5] = Math.Min(minima[5], (shingle ^ Seed5) * Multiplier5);
        minima[6] = Math.Min(minima[6], (shingle ^ Seed6) * Multiplier6);
        minima[7] = Math.Min(minima[7], (shingle ^ Seed7) * Multiplier7);
    }

    private static UInt128 Bands(ReadOnlySpan<ulong> minima)
    {
        var sketch = UInt128.Zero;
        for (var band = 0; band < SketchHashes / 2; band++)
        {
            var key = (uint)StableHash.Combine(minima[2 * band], minima[(2 * band) + 1]);
            sketch |= (UInt128)key << (32 * band);
        }

        return sketch;
    }
}
