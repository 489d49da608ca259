namespace Aggregator.Deduplication;

/// <summary>Finds items sharing at least one of the four 32-bit MinHash band keys of a <see cref="Fingerprint.Sketch"/>.</summary>
/// <remarks>
/// An empty text's zero sketch is not indexed. Buckets by the key's low bits (as many as the table was made with, up to 16);
/// each entry keeps the whole key (so a bucket collision is not a match) and the slot.
/// </remarks>
internal sealed class SketchTable
{
    private const int Bands = 4;

    /// <summary>At a million entries a bucket holds about 15.</summary>
    public const int MaxBucketBits = 16;

    private readonly int _bucketsPerBand;
    private readonly ulong[]?[] _buckets;
    private readonly int[] _counts;

    public SketchTable(int bucketBits = MaxBucketBits)
    {
        _bucketsPerBand = 1 << Math.Clamp(bucketBits, 1, MaxBucketBits);
        _buckets = new ulong[Bands * _bucketsPerBand][];
        _counts = new int[Bands * _bucketsPerBand];
    }

    public void Add(UInt128 sketch, int slot)
    {
        if (sketch == UInt128.Zero)
        {
            return;
        }

        for (var band = 0; band < Bands; band++)
        {
            var key = Key(sketch, band);
            var index = Index(band, key);
            var bucket = _buckets[index] ?? new ulong[2];
            var count = _counts[index];
            if (count == bucket.Length)
            {
                Array.Resize(ref bucket, count * 2);
            }

            bucket[count] = ((ulong)key << 32) | (uint)slot;
            _buckets[index] = bucket;
            _counts[index] = count + 1;
        }
    }

    public void Remove(UInt128 sketch, int slot)
    {
        if (sketch == UInt128.Zero)
        {
            return;
        }

        for (var band = 0; band < Bands; band++)
        {
            var index = Index(band, Key(sketch, band));
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

    /// <summary>
    /// Adds to <paramref name="slots"/> the items with a band key equal to one of the sketch's, at most
    /// <paramref name="perBand"/> a band (newest first), so that a key shared by thousands of identical
    /// items (a feed's placeholder text) cannot stall a query. A slot may come more than once.
    /// </summary>
    public void Search(UInt128 sketch, List<int> slots, int perBand)
    {
        if (sketch == UInt128.Zero)
        {
            return;
        }

        for (var band = 0; band < Bands; band++)
        {
            var key = Key(sketch, band);
            var index = Index(band, key);
            var count = _counts[index];
            if (count == 0)
            {
                continue;
            }

            var bucket = _buckets[index]!;
            var taken = 0;
            for (var i = count - 1; i >= 0 && taken < perBand; i--)
            {
                if ((uint)(bucket[i] >> 32) == key)
                {
                    slots.Add((int)(uint)bucket[i]);
                    taken++;
                }
            }
        }
    }

    /// <summary>How many of the four band keys two sketches share.</summary>
    public static int Matches(UInt128 a, UInt128 b)
    {
        var matches = 0;
        for (var band = 0; band < Bands; band++)
        {
            if (Key(a, band) == Key(b, band))
            {
                matches++;
            }
        }

        return matches;
    }

    private static uint Key(UInt128 sketch, int band) => (uint)(sketch >> (32 * band));

    private int Index(int band, uint key) => (band * _bucketsPerBand) + (int)(key & (uint)(_bucketsPerBand - 1));
}
