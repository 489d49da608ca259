namespace Aggregator.Storage;

/// <summary>The items a feed listed in its latest fetch: retention keeps them however old they are.</summary>
internal sealed class FeedListing
{
    /// <summary>The feed id.</summary>
    public string Id { get; set; } = "";

    public DateTime Fetched { get; set; }

    /// <summary>Stable ids of every item the feed carried, new, corrected or unchanged.</summary>
    public List<string> ItemIds { get; set; } = [];
}

/// <summary>An item removed by retention: its stable id stays, so the feed re-serving it does not bring it back.</summary>
internal sealed class PurgedItem
{
    /// <summary>The purged item's stable id.</summary>
    public string Id { get; set; } = "";

    public string FeedId { get; set; } = "";

    public DateTime Purged { get; set; }
}

/// <summary>What one retention pass did: items removed, old items kept because their feed still lists them, stories removed.</summary>
internal sealed record PurgeResult(int Purged, int Kept, int StoriesDeleted);
