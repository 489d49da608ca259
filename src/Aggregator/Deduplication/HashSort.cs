namespace Aggregator.Deduplication;

/// <summary>Sorts and deduplicates a text's shingle hashes for its evidence.</summary>
internal static class HashSort
{
    // Shingles are well-mixed hashes: one pass on their top byte leaves buckets of a few, which insertion sort
    // finishes faster than a comparison sort of the whole.
    public static void Sort(ReadOnlySpan<ulong> source, Span<ulong> destination)
    {
        if (source.Length < 64)
        {
            source.CopyTo(destination);
            destination.Sort();
            return;
        }

        Span<int> ends = stackalloc int[256];
        foreach (var hash in source)
        {
            ends[(int)(hash >> 56)]++;
        }

        // Each bucket's start; the scatter then moves it on to the bucket's end.
        var total = 0;
        for (var bucket = 0; bucket < ends.Length; bucket++)
        {
            (ends[bucket], total) = (total, total + ends[bucket]);
        }

        foreach (var hash in source)
        {
            destination[ends[(int)(hash >> 56)]++] = hash;
        }

        var start = 0;
        foreach (var end in ends)
        {
            var items = destination[start..end];
            if (items.Length > 16)
            {
                items.Sort();
            }
            else
            {
                InsertionSort(items);
            }

            start = end;
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

    public static int Deduplicate(Span<ulong> sorted)
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
}
