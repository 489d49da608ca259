using System.Numerics;

namespace Aggregator.Deduplication;

/// <summary>Finds 64-bit hashes within a Hamming distance: four 16-bit bands, each probed with its near values.</summary>
/// <remarks>
/// Pigeonhole: if two hashes differ in at most 4·(r+1)−1 bits, one of the four bands differs in at most r
/// bits, so probing every band value within r flips of the query's finds it. With r = 2 (137 probes a band)
/// every hash within 11 bits is found; at a million entries a bucket holds about 15.
/// Each entry is one ulong: the 32 bits after its band (a first distance filter without touching the
/// item) and the item's slot.
/// </remarks>
internal sealed class BandTable
{
    private const int Bands = 4;
    private const int BandBits = 16;
    private const int BucketsPerBand = 1 << BandBits;

    private readonly ulong[]?[] _buckets = new ulong[Bands * BucketsPerBand][];
    private readonly int[] _counts = new int[Bands * BucketsPerBand];
    private readonly ushort[] _probes;

    public BandTable(int maxDistance)
    {
        MaxDistance = Math.Clamp(maxDistance, 0, 15);
        _probes = Probes(MaxDistance / Bands);
    }


    /// <summary>The largest distance every match is guaranteed to be found at.</summary>
    public int MaxDistance { get; }

    public void Add(ulong hash, int slot)
    {
        for (var band = 0; band < Bands; band++)
        {
            var index = (band * BucketsPerBand) + Band(hash, band);
            var bucket = _buckets[index] ?? new ulong[2];
            var count = _counts[index];
            if (count == bucket.Length)
            {
                Array.Resize(ref bucket, count * 2);
            }

            bucket[count] = ((ulong)Rest(hash, band) << 32) | (uint)slot;
            _buckets[index] = bucket;
            _counts[index] = count + 1;
        }
    }

    public void Remove(ulong hash, int slot)
    {
        for (var band = 0; band < Bands; band++)
        {
            var index = (band * BucketsPerBand) + Band(hash, band);
            var bucket = _buckets[index];
            var count = _counts[index];
            for (var i = 0; i < count; i++)
            {
                if ((uint)bucket![i] == (uint)slot)
                {
                    bucket[i] = bucket[count - 1];
                    _counts[index] = count - 1;
                    break;
                }
            }
        }
    }

    /// <summary>Adds to <paramref name="slots"/> every entry whose 48 checked bits are within <see cref="MaxDistance"/>; a slot may come more than once.</summary>
    public void Search(ulong hash, List<int> slots)
    {
        for (var band = 0; band < Bands; band++)
        {
            var value = Band(hash, band);
            var rest = Rest(hash, band);
            foreach (var probe in _probes)
            {
                var budget = MaxDistance - BitOperations.PopCount(probe);
                var index = (band * BucketsPerBand) + (value ^ probe);
                var count = _counts[index];
                if (count == 0)
                {
                    continue;
                }

                var bucket = _buckets[index].AsSpan(0, count);
                foreach (var entry in bucket)
                {
                    if (BitOperations.PopCount((uint)(entry >> 32) ^ rest) <= budget)
                    {
                        slots.Add((int)(uint)entry);
                    }
                }
            }
        }
    }

    private static int Band(ulong hash, int band) => (int)((hash >> (band * BandBits)) & 0xFFFF);

    private static uint Rest(ulong hash, int band) => (uint)BitOperations.RotateRight(hash, (band + 1) * BandBits);

    private static ushort[] Probes(int radius)
    {
        var probes = new List<ushort>();
        for (var mask = 0; mask < BucketsPerBand; mask++)
        {
            if (BitOperations.PopCount((uint)mask) <= radius)
            {
                probes.Add((ushort)mask);
            }
        }

        return [.. probes.OrderBy(p => BitOperations.PopCount(p))];
    }
}

