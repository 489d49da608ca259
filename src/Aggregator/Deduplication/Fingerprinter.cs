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

    /// <summary>Body words the lead hash covers: about the first two sentences, which outlets that cut still keep.</summary>
    public const int LeadWords = 40;

    private const int TitleWeight = 2;

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
        var lead = default(SimHash);
        AddShingles(ref lead, bodyHashes.AsSpan(0, Math.Min(LeadWords, bodyHashes.Length)), 1);

        var evidence = new TextEvidence(Shingles(bodyHashes), Facts(bodyWords, bodyHashes), bodyWords.Count);
        return new Fingerprint(whole.Value, lead.Value, TextHash(bodyHashes), evidence);
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
