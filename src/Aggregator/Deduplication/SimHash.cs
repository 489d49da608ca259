using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aggregator.Deduplication;

/// <summary>Accumulates weighted 64-bit feature hashes into one SimHash: each output bit is the weighted vote of the features' bits.</summary>
/// <remarks>
/// A bit's vote, the sum of +w for each feature with the bit set and −w for each without, is positive exactly
/// when twice the weight of the features with it set exceeds the total weight. So the bits are counted: each
/// hash is spread over 64 byte lanes, one per bit, and added to byte counters, which are widened before they
/// can overflow. A 3 KB dispatch (well over a thousand features) takes about a microsecond.
/// </remarks>
internal struct SimHash
{
    // Byte counters never pass 255 between two widenings.
    private const int MaxPending = byte.MaxValue;

    private static readonly Vector256<byte> BitMask = Vector256.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);

    // Lane j of the low spread takes byte j / 8 of the hash, lane j of the high spread byte 4 + j / 8. For the
    // in-lane AVX2 shuffle the indices are taken within each 128-bit half, which holds the whole hash twice.
    private static readonly Vector256<byte> LowBytes = Vector256.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    private static readonly Vector256<byte> HighBytes = LowBytes + Vector256.Create((byte)4);

    private Vector256<byte> _pendingLow, _pendingHigh;
    private int _pending;
    private int _totalWeight;
    private Vector256<int> _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7;

    /// <summary>Adds one feature <paramref name="weight"/> times (a small non-negative weight).</summary>
    public void Add(ulong hash, int weight) => Add(new ReadOnlySpan<ulong>(in hash), weight);

    /// <summary>Adds each hash with the same weight.</summary>
    public void Add(ReadOnlySpan<ulong> hashes, int weight)
    {
        // Locals rather than fields, so that the counters stay in registers.
        var low = _pendingLow;
        var high = _pendingHigh;
        var pending = _pending;
        for (var i = 0; i < weight; i++)
        {
            foreach (var hash in hashes)
            {
                var (lowBits, highBits) = Spread(hash);

                // A set bit compares to all ones, that is −1: subtracting it counts one.
                low -= lowBits;
                high -= highBits;
                if (++pending == MaxPending)
                {
                    Widen(low, high);
                    low = default;
                    high = default;
                    pending = 0;
                }
            }
        }

        (_pendingLow, _pendingHigh, _pending) = (low, high, pending);
        _totalWeight += weight * hashes.Length;
    }

    public readonly ulong Value
    {
        get
        {
            var copy = this;
            copy.Widen(_pendingLow, _pendingHigh);
            var half = Vector256.Create(copy._totalWeight);
            return Bits(copy._c0, half) | (Bits(copy._c1, half) << 8) | (Bits(copy._c2, half) << 16) | (Bits(copy._c3, half) << 24)
                | (Bits(copy._c4, half) << 32) | (Bits(copy._c5, half) << 40) | (Bits(copy._c6, half) << 48) | (Bits(copy._c7, half) << 56);
        }
    }

    private static ulong Bits(Vector256<int> counts, Vector256<int> total) =>
        Vector256.GreaterThan(counts + counts, total).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<byte> Low, Vector256<byte> High) Spread(ulong hash)
    {
        var spread = Vector256.Create(hash).AsByte();
        Vector256<byte> low, high;
        if (Avx2.IsSupported)
        {
            low = Avx2.Shuffle(spread, LowBytes);
            high = Avx2.Shuffle(spread, HighBytes);
        }
        else
        {
            low = Vector256.Shuffle(spread, LowBytes);
            high = Vector256.Shuffle(spread, HighBytes);
        }

        return (Vector256.Equals(low & BitMask, BitMask), Vector256.Equals(high & BitMask, BitMask));
    }

    private void Widen(Vector256<byte> low, Vector256<byte> high)
    {
        var (l0, l1) = Vector256.Widen(low);
        var (h0, h1) = Vector256.Widen(high);
        Add(ref _c0, ref _c1, l0);
        Add(ref _c2, ref _c3, l1);
        Add(ref _c4, ref _c5, h0);
        Add(ref _c6, ref _c7, h1);
    }

    private static void Add(ref Vector256<int> lower, ref Vector256<int> upper, Vector256<ushort> counts)
    {
        var (a, b) = Vector256.Widen(counts);
        lower += a.AsInt32();
        upper += b.AsInt32();
    }
}
