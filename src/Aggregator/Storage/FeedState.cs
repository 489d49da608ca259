namespace Aggregator.Storage;

/// <summary>What we remember about a feed between fetches: validators and the last outcome.</summary>
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
}
