namespace Aggregator.Fetching;

/// <summary>What asking an outlet for its feed gave: a document, "not modified", or a failure with its reason.</summary>
internal abstract record FetchResult
{
    private FetchResult()
    {
    }

    /// <summary>Where the feed now lives, when every redirect up to there was permanent (301, 308).</summary>
    public Uri? MovedTo { get; init; }

    /// <summary>A 2xx answer: its bytes, decoded to text when read as text.</summary>
    public sealed record Fetched(FetchedText Body, Uri FinalUrl, string? ETag, string? LastModified, long Bytes, string Encoding) : FetchResult;

    /// <summary>A 304: the validators we sent still hold, so nothing is parsed or written.</summary>
    public sealed record NotModified : FetchResult;

    /// <summary>Anything else: DNS, refused connection, timeout, HTTP error, oversized body, redirect trouble.</summary>
    public sealed record Failed(string Reason, int? StatusCode = null) : FetchResult
    {
        /// <summary>When a 429 or 503 asked us to come back (its Retry-After), as an instant.</summary>
        public DateTimeOffset? RetryAt { get; init; }
    }
}

/// <summary>The validators remembered from the last successful fetch, sent back as a conditional GET.</summary>
internal sealed record CacheValidators(string? ETag, string? LastModified);
