using System.Numerics;

namespace Aggregator.Deduplication;

/// <summary>Finds 64-bit hashes within a Hamming distance: four 16-bit bands, each probed with its near values.</summary>
/// <remarks>
/// Pigeonhole: if two hashes differ in at most 4·(r+1)−1 bits, one of the four bands differs in at most r
/// bits, so probing every band value within r flips of the query's finds it. With r = 2 (137 probes a band)
/// every hash within 11 bits is found. A band's bucket is picked by its low <see cref="BucketBits"/> bits (up to
/// all 16): a value within r flips of the query's has its low bits within r flips too, so probing those finds it,
/// with the bucket's other entries left to the distance checks. Each entry is one ulong: the 32 bits after its band
/// (a first distance filter without touching the item) and the item's slot.
/// </remarks>
internal sealed class BandTable
{
    private const int Bands = 4;
    private const int BandBits = 16;

    /// <summary>A band's bits in full: at a million entries a bucket holds about 15.</summary>
    public const int MaxBucketBits = BandBits;

    private readonly int _bucketsPerBand;
    private readonly ulong[]?[] _buckets;
    private readonly int[] _counts;
    private readonly int[] _probes;

    public BandTable(int maxDistance, int bucketBits = MaxBucketBits)
    {
        MaxDistance = Math.Clamp(maxDistance, 0, 15);
        BucketBits = Math.Clamp(bucketBits, 1, MaxBucketBits);
        _bucketsPerBand = 1 << BucketBits;
        _buckets = new ulong[Bands * _bucketsPerBand][];
        _counts = new int[Bands * _bucketsPerBand];
        _probes = Probes(MaxDistance / Bands, _bucketsPerBand);
    }

    /// <summary>How many of a band's low bits pick its bucket: <see cref="Bands"/> × 2^bits buckets, 12 bytes each.</summary>
    public int BucketBits { get; }

    /// <summary>The largest distance every match is guaranteed to be found at.</summary>
    public int MaxDistance { get; }

    public void Add(ulong hash, int slot)
    {
        for (var band = 0; band < Bands; band++)
        {
            var index = Index(band, Band(hash, band));
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
            var index = Index(band, Band(hash, band));
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
                var budget = MaxDistance - BitOperations.PopCount((uint)probe);
                var index = Index(band, value ^ probe);
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

    private int Index(int band, int value) => (band * _bucketsPerBand) + (value & (_bucketsPerBand - 1));

    private static uint Rest(ulong hash, int band) => (uint)BitOperations.RotateRight(hash, (band + 1) * BandBits);

    private static int[] Probes(int radius, int bucketsPerBand)
    {
        var probes = new List<int>();
        for (var mask = 0; mask < bucketsPerBand; mask++)
        {
            if (BitOperations.PopCount((uint)mask) <= radius)
            {
                probes.Add(mask);
            }
        }

        return [.. probes.OrderBy(p => BitOperations.PopCount((uint)p))];
    }
}

