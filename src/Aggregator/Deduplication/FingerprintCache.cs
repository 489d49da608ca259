namespace Aggregator.Deduplication;

/// <summary>
/// The newest fingerprints by item id, at most a fixed number: the oldest added goes first. Not thread-safe (the
/// deduplicator runs under the store's write lock).
/// </summary>
internal sealed class FingerprintCache(int capacity)
{
    private readonly Dictionary<string, Fingerprint> byId = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    public int Count => byId.Count;

    public bool TryGet(string id, out Fingerprint fingerprint) => byId.TryGetValue(id, out fingerprint);

    public void Add(string id, Fingerprint fingerprint)
    {
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
            byId.Remove(oldest);
        }

        // Ids removed and never re-added leave the queue longer than the table: drop them once it doubles.
        if (order.Count > 2 * Math.Max(capacity, 16))
        {
            var live = order.Where(byId.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
            order.Clear();
            live.ForEach(order.Enqueue);
        }
    }

    public void Remove(string id) => byId.Remove(id);
}
