using System.Runtime.CompilerServices;

namespace Aggregator.Deduplication;

/// <summary>A 64-bit hash that never changes between processes or runtimes, because fingerprints are stored.</summary>
/// <remarks>
/// FNV-1a over UTF-16 code units, finished by a splitmix64 avalanche: FNV alone mixes its last
/// characters poorly, and SimHash needs every output bit to be close to a fair coin.
/// <see cref="System.HashCode"/> is randomised per process, so it cannot be used here.
/// </remarks>
internal static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The state before the first character of <see cref="Of"/>, for a caller that hashes characters as it reads them.</summary>
    public const ulong Start = FnvOffset;

    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = Start;
        foreach (var c in text)
        {
            hash = Step(hash, c);
        }

        return Finish(hash);
    }

    /// <summary>Adds one character to a hash begun at <see cref="Start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Step(ulong hash, char c) => (hash ^ c) * FnvPrime;

    /// <summary>The <see cref="Of"/> value of the characters stepped in so far.</summary>
    public static ulong Finish(ulong hash) => Mix(hash);

    /// <summary>Order-sensitive combination of two hashes (a shingle of words from its words' hashes).</summary>
    public static ulong Combine(ulong first, ulong second) => Mix(first ^ ((second << 29) | (second >> 35)) ^ 0x9E3779B97F4A7C15UL);

    public static ulong Mix(ulong value)
    {
        value ^= value >> 30;
        value *= 0xBF58476D1CE4E5B9UL;
        value ^= value >> 27;
        value *= 0x94D049BB133111EBUL;
        value ^= value >> 31;
        return value;
    }
}
