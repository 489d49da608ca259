namespace Aggregator.Export;

/// <summary>
/// The most recently used renderings, by variant: readers poll a few variants often and many rarely, so the
/// cache keeps the busy ones and forgets the rest once it holds <c>capacity</c>.
/// </summary>
internal sealed class RenderCache<TValue>(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value)>> nodes = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TValue Value)> recency = new();
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return nodes.Count;
            }
        }
    }

    public bool TryGet(string key, out TValue value)
    {
        lock (gate)
        {
            if (nodes.TryGetValue(key, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    public void Set(string key, TValue value)
    {
        lock (gate)
        {
            if (nodes.Remove(key, out var existing))
            {
                recency.Remove(existing);
            }

            nodes[key] = recency.AddFirst((key, value));
            while (nodes.Count > capacity && recency.Last is { } oldest)
            {
                recency.RemoveLast();
                nodes.Remove(oldest.Value.Key);
            }
        }
    }
}
