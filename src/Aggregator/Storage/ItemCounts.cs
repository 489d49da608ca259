namespace Aggregator.Storage;

/// <summary>
/// How many items each feed has stored and when it last brought a new one, kept in memory beside the identity
/// index: /status and /metrics ask often, and LiteDB answers a count by reading a whole index.
/// </summary>
internal sealed class ItemCounts
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (int Items, DateTime LastNew)> byFeed = new(StringComparer.Ordinal);
    private int total;

    public void Added(string feedId, DateTime firstSeen)
    {
        lock (gate)
        {
            var (items, lastNew) = byFeed.GetValueOrDefault(feedId);
            byFeed[feedId] = (items + 1, firstSeen > lastNew ? firstSeen : lastNew);
            total++;
        }
    }

    public void Removed(string feedId)
    {
        lock (gate)
        {
            if (byFeed.TryGetValue(feedId, out var known))
            {
                byFeed[feedId] = (known.Items - 1, known.LastNew);
                total--;
            }
        }
    }

    public int Items(string? feedId)
    {
        lock (gate)
        {
            return feedId is null ? total : byFeed.GetValueOrDefault(feedId).Items;
        }
    }

    /// <summary>The newest FirstSeen of the feed's items, kept when those items are purged; null before its first.</summary>
    public DateTime? LastNew(string feedId)
    {
        lock (gate)
        {
            return byFeed.TryGetValue(feedId, out var known) ? DateTime.SpecifyKind(known.LastNew, DateTimeKind.Utc) : null;
        }
    }
}
