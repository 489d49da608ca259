using System.IO.Compression;
using System.Security.Cryptography;
using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>A rendered variant of the combined feed, with its validators, kept in memory between changes.</summary>
internal sealed record RenderedFeed(ExportFormat Format, byte[] Body, string ETag, DateTimeOffset LastModified)
{
    private byte[]? gzipped;

    public string ContentType => FeedFormats.ContentType(Format);

    /// <summary>Compressed on first demand: a variant nobody asks gzipped for never pays for it.</summary>
    public byte[] Gzipped => gzipped ??= FeedExporter.Gzip(Body);
}

/// <summary>
/// Builds the combined feed from the store. Readers poll often, so each variant (format, filters, page) is
/// rendered once per change of the store (or of the configuration) and then served from memory.
/// </summary>
internal sealed class FeedExporter(ItemStore store, ActiveConfig config, TimeProvider time)
{
    /// <summary>How many variants stay rendered; the least recently asked for goes first.</summary>
    public const int CacheCapacity = 256;

    private readonly RenderCache<(long Version, AggregatorConfig Config, RenderedFeed Feed)> cache = new(CacheCapacity);
    private readonly FeedAssembler assembler = new(store, time);

    /// <summary>The number of variants currently rendered.</summary>
    public int CachedVariants => cache.Count;

    /// <summary>Renders afresh: for the <c>export</c> command.</summary>
    public byte[] Render(ExportFormat format, int? limit = null) => Render(format, FeedQuery.All with { Limit = limit });

    /// <summary>Renders a variant afresh.</summary>
    public byte[] Render(ExportFormat format, FeedQuery query) => RenderBody(format, assembler.Assemble(config.Current, query));

    /// <summary>What the whole feed is rendered from, gathered afresh: for the home page.</summary>
    public FeedDocument Document() => assembler.Assemble(config.Current, FeedQuery.All);

    /// <summary>The current rendering of the whole feed in a format.</summary>
    public RenderedFeed Current(ExportFormat format) => Current(format, FeedQuery.All);

    /// <summary>The current rendering of a variant, re-rendered only when the store or configuration changed.</summary>
    public RenderedFeed Current(ExportFormat format, FeedQuery query)
    {
        var version = store.Version;
        var active = config.Current;
        var key = FeedFormats.FileName(format) + " " + query.Key;
        var cached = cache.TryGet(key, out var entry);
        if (cached && entry.Version == version && ReferenceEquals(entry.Config, active))
        {
            return entry.Feed;
        }

        // Rendered outside any lock: two readers of the same stale variant may both render, but no reader waits on another variant.
        var document = assembler.Assemble(active, query);
        var body = RenderBody(format, document);
        var etag = ETagOf(body);
        // Item dates are the outlets' and a late dispatch carries an old one: Last-Modified is when this body
        // last changed here, or If-Modified-Since readers would be told 304 and miss the new item.
        var updated = new DateTimeOffset(document.Updated, TimeSpan.Zero);
        var now = time.GetUtcNow();
        var lastModified = cached && entry.Feed.ETag == etag ? entry.Feed.LastModified : (updated > now ? updated : now);
        var rendered = new RenderedFeed(format, body, etag, lastModified);
        cache.Set(key, (version, active, rendered));
        return rendered;
    }

    private static byte[] RenderBody(ExportFormat format, FeedDocument document) => format switch
    {
        ExportFormat.Atom => AtomRenderer.Render(document),
        ExportFormat.Rss => RssRenderer.Render(document),
        _ => JsonFeedRenderer.Render(document),
    };

    // A digest of the body, not the store's change counter: the counter restarts with the process, and a reader's
    // old validator must never match a different document. The body already differs per variant.
    internal static string ETagOf(byte[] body) => "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12)) + "\"";

    internal static byte[] Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(body);
        }

        return buffer.ToArray();
    }
}
