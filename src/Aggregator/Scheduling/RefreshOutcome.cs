namespace Aggregator.Scheduling;

/// <summary>The kinds of outcome a refresh can have, as printed by <c>fetch</c> and logged.</summary>
internal enum RefreshKind
{
    New,
    Updated,
    Unchanged,
    NotModified,
    Failed,
}

/// <summary>What one pass over one feed did.</summary>
internal sealed record RefreshOutcome(string FeedId, RefreshKind Kind, int New, int Updated, int Unchanged, TimeSpan Duration, string? Reason = null, int Merged = 0)
{
    /// <summary>Items cleaned in this refresh: the new and changed ones; an item whose source is unchanged is not read again.</summary>
    public int Read { get; init; }

    /// <summary>Items the parser read from the document: all on a feed's first fetch, then those whose text changed.</summary>
    public int Parsed { get; init; }

    public string KindText => Kind switch
    {
        RefreshKind.New => "new",
        RefreshKind.Updated => "updated",
        RefreshKind.Unchanged => "unchanged",
        RefreshKind.NotModified => "not modified",
        _ => "failed",
    };
}
