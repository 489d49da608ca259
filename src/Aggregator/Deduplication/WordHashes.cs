using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aggregator.Deduplication;

/// <summary>Collects the hashes of a text's words, and its figures and names, in pooled arrays: the fingerprint's raw material.</summary>
/// <remarks>Only facts become strings; every other word is hashed where it lies. Dispose returns the arrays.</remarks>
internal struct WordHashes(int expectedWords, bool keepFacts) : IWordSink, IDisposable
{
    private ulong[] _hashes = ArrayPool<ulong>.Shared.Rent(Math.Max(16, expectedWords));
    private int _count;
    private (FactKind Kind, string Value, int Index)[]? _facts;
    private int _factCount;

    public readonly int Count => _count;

    public readonly ReadOnlySpan<ulong> Hashes => _hashes.AsSpan(0, _count);

    public void Add(ReadOnlySpan<char> word, ulong hash, bool isNumber, bool isCapitalized, bool startsSentence)
    {
        if (_count == _hashes.Length)
        {
            _hashes = Grow(_hashes, _count);
        }

        if (keepFacts && (isNumber || (isCapitalized && !startsSentence && word.Length >= 2)))
        {
            _facts ??= ArrayPool<(FactKind, string, int)>.Shared.Rent(64);
            if (_factCount == _facts.Length)
            {
                _facts = Grow(_facts, _factCount);
            }

            _facts[_factCount++] = (isNumber ? FactKind.Figure : FactKind.Name, word.ToString(), _count);
        }

        _hashes[_count++] = hash;
    }

    /// <summary>The facts in text order, each with the hashes of the two words before and after it.</summary>
    /// <param name="pairs">The hashes of each two consecutive words, <c>pairs[i]</c> for words i and i + 1.</param>
    public readonly ImmutableArray<Fact> Facts(ReadOnlySpan<ulong> pairs)
    {
        if (_factCount == 0)
        {
            return [];
        }

        var facts = new Fact[_factCount];
        for (var f = 0; f < facts.Length; f++)
        {
            var (kind, value, i) = _facts![f];
            var before = i >= 2 ? pairs[i - 2] : 0;
            var after = i + 2 < _count ? pairs[i + 1] : 0;
            facts[f] = new Fact(kind, value, before, after);
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(facts);
    }

    public readonly void Dispose()
    {
        ArrayPool<ulong>.Shared.Return(_hashes);
        if (_facts is not null)
        {
            ArrayPool<(FactKind, string, int)>.Shared.Return(_facts, clearArray: true);
        }
    }

    private static T[] Grow<T>(T[] array, int count)
    {
        var larger = ArrayPool<T>.Shared.Rent(2 * array.Length);
        array.AsSpan(0, count).CopyTo(larger);
        ArrayPool<T>.Shared.Return(array, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        return larger;
    }
}
