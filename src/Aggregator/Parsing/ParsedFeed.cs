namespace Aggregator.Parsing;

/// <summary>A feed document as we understood it, before cleaning.</summary>
internal sealed record ParsedFeed(string? Title, Uri? Link, IReadOnlyList<ParsedItem> Items)
{
    /// <summary>How often the feed says it changes (RSS ttl, sy:updatePeriod): it may lengthen our interval, never shorten it.</summary>
    public TimeSpan? UpdateHint { get; init; }

    /// <summary>What the feed's items were read with besides their own text: its kind, address, base and author.</summary>
    public string ItemContext { get; init; } = "";
}

/// <summary>One entry of a feed, normalised: absolute URLs, UTC dates, plain-text title, raw body HTML.</summary>
internal sealed record ParsedItem
{
    /// <summary>The guid, atom:id or rdf:about, when the source gives one.</summary>
    public string? SourceId { get; init; }

    public Uri? Link { get; init; }

    public string Title { get; init; } = "";

    public DateTimeOffset? Published { get; init; }

    public DateTimeOffset? Updated { get; init; }

    public string? Author { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<Enclosure> Enclosures { get; init; } = [];

    /// <summary>The body as the source gave it (decoded exactly once from the XML): still to be cleaned.</summary>
    public string BodyHtml { get; init; } = "";

    /// <summary>What relative URLs in the body are relative to: the body's xml:base, else the item's link.</summary>
    public Uri? BodyBase { get; init; }
}

/// <summary>A media file attached to an item.</summary>
internal sealed record Enclosure(Uri Url, string? MediaType, long? Length);

/// <summary>The outcome of parsing: a feed, or why the document is not one.</summary>
internal abstract record ParseResult
{
    private ParseResult()
    {
    }

    public sealed record Parsed(ParsedFeed Feed) : ParseResult;

    public sealed record Failed(string Reason) : ParseResult;
}
