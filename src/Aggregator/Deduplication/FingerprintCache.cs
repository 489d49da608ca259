namespace Aggregator.Deduplication;

/// <summary>
/// The newest fingerprints by item id, at most a fixed number: the oldest added goes first, and leaves its
/// <see cref="ShingleSample"/> behind until it is removed. Not thread-safe (the deduplicator runs under the store's
/// write lock).
/// </summary>
/// <remarks>
/// Samples are not capped: the deduplicator removes an id once it is older than twice its window, so they number
/// the items of that span beyond the newest <c>capacity</c>, 152 bytes and a dictionary entry each (about 17 MB for
/// 100,000 such items).
/// </remarks>
internal sealed class FingerprintCache(int capacity)
{
    private readonly int capacity = capacity >= 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "fingerprints kept cannot be fewer than none");

    private readonly Dictionary<string, Fingerprint> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ShingleSample> samples = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    public int Count => byId.Count;

    /// <summary>Ids whose full fingerprint went and whose sample is kept.</summary>
    public int SampleCount => samples.Count;

    public bool TryGet(string id, out Fingerprint fingerprint) => byId.TryGetValue(id, out fingerprint);

    /// <summary>The sample of a fingerprint the cache let go of, until the id is removed or added again.</summary>
    public bool TryGetSample(string id, out ShingleSample sample) => samples.TryGetValue(id, out sample);

    public void Add(string id, Fingerprint fingerprint)
    {
        samples.Remove(id);
        if (byId.TryAdd(id, fingerprint))
        {
            order.Enqueue(id);
        }
        else
        {
            byId[id] = fingerprint;
        }

        // An id removed meanwhile is still queued: dequeuing it frees nothing, so keep going until one is.
        while (byId.Count > capacity && order.TryDequeue(out var oldest))
        {
            if (byId.Remove(oldest, out var evicted))
            {
                samples[oldest] = ShingleSample.Of(evicted);
            }
        }

        // Ids removed and never re-added leave the queue longer than the table: drop them once it doubles.
        if (order.Count > 2 * Math.Max(capacity, 16))
        {
            var live = order.Where(byId.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
            order.Clear();
            live.ForEach(order.Enqueue);
        }
    }

    /// <summary>Forgets the id: its fingerprint and its sample.</summary>
    public void Remove(string id)
    {
        byId.Remove(id);
        samples.Remove(id);
    }
}
