namespace Aggregator.Storage;

/// <summary>What we remember about a feed between fetches: validators, the last outcome, and when it may be asked again.</summary>
internal sealed class FeedState
{
    public string Id { get; set; } = "";

    public string? ETag { get; set; }

    /// <summary>Kept as the server wrote it, and sent back verbatim.</summary>
    public string? LastModified { get; set; }

    /// <summary>The outlet's own title and site link, for atom:source.</summary>
    public string? SourceTitle { get; set; }

    public string? SourceLink { get; set; }

    public DateTime? LastAttempt { get; set; }

    public DateTime? LastSuccess { get; set; }

    public DateTime? LastFailure { get; set; }

    public string? LastError { get; set; }

    public int ConsecutiveFailures { get; set; }

    /// <summary>Fingerprint of the feed's entry in feeds.json at the last attempt: an edit lifts Gone and backoff.</summary>
    public string? Entry { get; set; }

    /// <summary>UTC instant before which a scheduled run skips the feed (backoff, Retry-After, the feed's own hint).</summary>
    public DateTime? NotBefore { get; set; }

    /// <summary>Why NotBefore is set, for /status and the debug log.</summary>
    public string? NotBeforeReason { get; set; }

    /// <summary>The outlet answered 410 Gone: not polled until the feed's entry (<see cref="Entry"/>) changes.</summary>
    public bool Gone { get; set; }

    /// <summary>Where a permanent redirect (301, 308) sent the feed; fetched there until the admin edits the URL.</summary>
    public string? MovedTo { get; set; }

    /// <summary>The URL in feeds.json that moved; when the file's URL differs, <see cref="MovedTo"/> is dropped.</summary>
    public string? MovedFrom { get; set; }

    /// <summary>The feed's own update hint (RSS ttl, sy:updatePeriod) in minutes, from its last parsed document.</summary>
    public int? HintMinutes { get; set; }
}
