namespace Aggregator.Storage;

/// <summary>Tells the store which story a new item belongs to (the deduplication stage implements it).</summary>
internal interface IStoryMatcher
{
    /// <summary>Fingerprints the item (setting its index fields) and returns the story of an earlier item telling the same story, or null.</summary>
    string? Match(StoredItem item);

    /// <summary>
    /// The part of matching that needs no lock (fingerprinting the text), done on the caller's thread before the
    /// store's write; what it returns is handed back to <see cref="Match(StoredItem, object?)"/>.
    /// </summary>
    object? Prepare(string title, string bodyText) => null;

    /// <summary>Like <see cref="Match(StoredItem)"/>, with what <see cref="Prepare"/> returned for the item's text.</summary>
    string? Match(StoredItem item, object? prepared) => Match(item);

    /// <summary>
    /// Reads what matching needs from the store, called before the store opens its write transaction: LiteDB holds
    /// every page a transaction reads until it commits, and its cache grows to hold them and never shrinks.
    /// </summary>
    void Warm()
    {
    }

    /// <summary>Adds a stored item to what later items are matched against.</summary>
    void Remember(StoredItem item);

    /// <summary>A stored item's text was corrected (before it is written): fingerprint it anew and match later items against its new text.</summary>
    void Corrected(StoredItem item)
    {
    }
}
