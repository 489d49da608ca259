namespace Aggregator.Storage;

/// <summary>
/// For an item whose body was read from its article page (fullText): the digest of the feed's summary it
/// replaced, so the page is read again only when the summary changes, and the page's validators, so that
/// read is a conditional request.
/// </summary>
internal sealed class PageSource
{
    public string SummaryDigest { get; set; } = "";

    public string? ETag { get; set; }

    public string? LastModified { get; set; }
}
