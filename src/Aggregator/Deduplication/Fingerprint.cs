using System.Collections.Immutable;

namespace Aggregator.Deduplication;

/// <summary>What a dispatch says, reduced to hashes: the index keys on the hashes and sketches, the classifier verifies with the evidence.</summary>
/// <param name="SimHash">64-bit SimHash of the title and body; close values (Hamming distance) propose a candidate.</param>
/// <param name="Sketch">
/// Four 32-bit MinHash band keys of the body's shingles: copies whose shingles mostly agree share a key even when
/// page furniture or a rewritten start pushes both SimHashes apart.
/// </param>
/// <param name="LeadSketch">Like <paramref name="Sketch"/> over the body's lead only, so that a lead-only or cut copy still finds the full dispatch.</param>
/// <param name="TextHash">Hash of the whole normalised body: equal values are the same text.</param>
/// <param name="Evidence">Shingles and facts kept to verify a candidate; not needed by the index.</param>
internal readonly record struct Fingerprint(ulong SimHash, UInt128 Sketch, UInt128 LeadSketch, ulong TextHash, TextEvidence Evidence);

/// <summary>A figure (number, date, year) or a name (capitalised word) with the words around it.</summary>
/// <param name="Value">The normalised figure or name.</param>
/// <param name="Before">Hash of the two words before it; zero at the start of the text.</param>
/// <param name="After">Hash of the two words after it; zero at the end of the text.</param>
internal readonly record struct Fact(FactKind Kind, string Value, ulong Before, ulong After);

/// <summary>Which kind of fact.</summary>
internal enum FactKind
{
    Figure,
    Name,
}

/// <summary>What the classifier compares once the index has proposed a pair.</summary>
/// <param name="Shingles">
/// Sorted, distinct hashes of the body's three-word shingles, the top 32 bits of each: half the memory of the full
/// hashes, so the cache keeps twice as many candidates, for about one false shared shingle in 20,000 pairs.
/// </param>
/// <param name="Facts">Figures and names in text order.</param>
/// <param name="WordCount">Normalised words in the body.</param>
internal sealed record TextEvidence(ImmutableArray<uint> Shingles, ImmutableArray<Fact> Facts, int WordCount)
{
    private Dictionary<(FactKind, bool, ulong), List<string>>? _places;

    /// <summary>
    /// The facts by place, built on first use and kept: a candidate stays in the fingerprint cache and is compared
    /// again and again. Never changed once built, so readers on other threads at worst build it twice.
    /// </summary>
    internal Dictionary<(FactKind, bool, ulong), List<string>> Places => _places ??= FactComparer.PlacesOf(Facts);

    // The kept places are not part of the value.
    public bool Equals(TextEvidence? other) =>
        other is not null && Shingles.Equals(other.Shingles) && Facts.Equals(other.Facts) && WordCount == other.WordCount;

    public override int GetHashCode() => HashCode.Combine(Shingles, Facts, WordCount);

    public IEnumerable<string> Figures => Facts.Where(f => f.Kind == FactKind.Figure).Select(f => f.Value).Distinct();

    public IEnumerable<string> Names => Facts.Where(f => f.Kind == FactKind.Name).Select(f => f.Value).Distinct();
}
