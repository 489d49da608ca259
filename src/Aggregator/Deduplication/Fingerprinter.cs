using System.Buffers;
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
            Shingle(words, pairs, triples);

            var whole = default(SimHash);
            whole.Add(words, 1);
            whole.Add(pairs, 1);
            whole.Add(triples, 1);
            AddTitle(ref whole, titleWords);

            // Below three words the words themselves stand in for shingles.
            var shingles = n < 3 ? words : triples;
            var leadShingles = n < 3 ? words.Length : Math.Min(LeadWords, n) - 2;
            var (sketch, leadSketch) = Sketches(shingles, leadShingles);

            var sorted = rented.AsSpan(2 * n, shingles.Length);
            Sort(shingles, sorted);
            var distinct = sorted[..Deduplicate(sorted)];

            var evidence = new TextEvidence(ImmutableArray.Create(distinct), body.Facts(pairs), n);
            return new Fingerprint(whole.Value, sketch, leadSketch, TextHash(words), evidence);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    private static void Shingle(ReadOnlySpan<ulong> words, Span<ulong> pairs, Span<ulong> triples)
    {
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = StableHash.Combine(words[i], words[i + 1]);
        }

        for (var i = 0; i < triples.Length; i++)
        {
            triples[i] = StableHash.Combine(pairs[i], words[i + 2]);
        }
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

    // Eight MinHashes in four bands of two: two texts share a band with probability J² (J the shingles' Jaccard),
    // so at least one of four when J ≈ 0.9 almost surely, when J ≈ 0.1 (unrelated texts) about 4% of the time.
    // A minimum ignores order and repeats, so the raw shingles serve, and the lead's minima are those of a prefix.
    private static (UInt128 Sketch, UInt128 Lead) Sketches(ReadOnlySpan<ulong> shingles, int leadShingles)
    {
        if (shingles.IsEmpty)
        {
            return (0, 0);
        }

        Span<ulong> minima = stackalloc ulong[SketchHashes];
        minima.Fill(ulong.MaxValue);
        Minima(minima, shingles[..leadShingles]);
        var lead = Bands(minima);
        Minima(minima, shingles[leadShingles..]);
        return (Bands(minima), lead);
    }

    private static void Minima(Span<ulong> minima, ReadOnlySpan<ulong> shingles)
    {
        ulong m0 = minima[0], m1 = minima[1], m2 = minima[2], m3 = minima[3];
        ulong m4 = minima[4], m5 = minima[5], m6 = minima[6], m7 = minima[7];
        foreach (var shingle in shingles)
        {
            // The shingle is already a well-mixed hash: one xor and one odd multiply make a fresh permutation.
            m0 = Math.Min(m0, (shingle ^ 0x243F6A8885A308D3) * 0x9E3779B97F4A7C15);
            m1 = Math.Min(m1, (shingle ^ 0x13198A2E03707344) * 0xBF58476D1CE4E5B9);
            m2 = Math.Min(m2, (shingle ^ 0xA4093822299F31D0) * 0x94D049BB133111EB);
            m3 = Math.Min(m3, (shingle ^ 0x082EFA98EC4E6C89) * 0xD6E8FEB86659FD93);
            m4 = Math.Min(m4, (shingle ^ 0x452821E638D01377) * 0xA0761D6478BD642F);
            m5 = Math.Min(m5, (shingle ^ 0xBE5466CF34E90C6C) * 0xE7037ED1A0B428DB);
            m6 = Math.Min(m6, (shingle ^ 0xC0AC29B7C97C50DD) * 0x8EBC6AF09C88C6E3);
            m7 = Math.Min(m7, (shingle ^ 0x3F84D5B5B5470917) * 0x589965CC75374CC3);
        }

        minima[0] = m0;
        minima[1] = m1;
        minima[2] = m2;
        minima[3] = m3;
        minima[4] = m4;
        minima[5] = m5;
        minima[6] = m6;
        minima[7] = m7;
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

    // Shingles are well-mixed hashes: one pass on their top byte leaves buckets of a few, which insertion sort
    // finishes faster than a comparison sort of the whole.
    private static void Sort(ReadOnlySpan<ulong> source, Span<ulong> destination)
    {
        if (source.Length < 64)
        {
            source.CopyTo(destination);
            destination.Sort();
            return;
        }

        Span<int> starts = stackalloc int[257];
        foreach (var hash in source)
        {
            starts[(int)(hash >> 56) + 1]++;
        }

        for (var bucket = 1; bucket < starts.Length; bucket++)
        {
            starts[bucket] += starts[bucket - 1];
        }

        Span<int> next = stackalloc int[256];
        starts[..256].CopyTo(next);
        foreach (var hash in source)
        {
            destination[next[(int)(hash >> 56)]++] = hash;
        }

        for (var bucket = 0; bucket < 256; bucket++)
        {
            var items = destination[starts[bucket]..starts[bucket + 1]];
            if (items.Length > 16)
            {
                items.Sort();
            }
            else
            {
                InsertionSort(items);
            }
        }
    }

    private static void InsertionSort(Span<ulong> items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            var item = items[i];
            var j = i - 1;
            while (j >= 0 && items[j] > item)
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = item;
        }
    }

    private static int Deduplicate(Span<ulong> sorted)
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

    private static ulong TextHash(ReadOnlySpan<ulong> words)
    {
        var hash = 0x5DEECE66DUL;
        foreach (var word in words)
        {
            hash = StableHash.Combine(hash, word);
        }

        return hash;
    }
}
