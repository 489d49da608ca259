using System.IO.Compression;
using System.Security.Cryptography;
using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>A rendered variant of the combined feed, with its validators, kept in memory between changes.</summary>
internal sealed record RenderedFeed(ExportFormat Format, byte[] Body, byte[] Gzipped, string ETag, DateTimeOffset LastModified)
{
    public string ContentType => FeedFormats.ContentType(Format);
}

/// <summary>
/// Builds the combined feed from the store. Readers poll often, so each format is rendered once per change
/// of the store (or of the configuration) and then served from memory.
/// </summary>
internal sealed class FeedExporter(ItemStore store, ActiveConfig config, TimeProvider time)
{
    private readonly Dictionary<ExportFormat, (long Version, AggregatorConfig Config, RenderedFeed Feed)> cache = [];
    private readonly Lock cacheLock = new();

    /// <summary>Renders afresh: for the <c>export</c> command.</summary>
    public byte[] Render(ExportFormat format, int? limit = null) => RenderBody(format, Gather(config.Current, limit));

    /// <summary>What the feeds are rendered from, gathered afresh: for the home page.</summary>
    public FeedDocument Document() => Gather(config.Current, null);

    /// <summary>The current rendering of a format, re-rendered only when the store or configuration changed.</summary>
    public RenderedFeed Current(ExportFormat format)
    {
        var version = store.Version;
        var active = config.Current;
        lock (cacheLock)
        {
            if (cache.TryGetValue(format, out var entry) && entry.Version == version && ReferenceEquals(entry.Config, active))
            {
                return entry.Feed;
            }

            var document = Gather(active, null);
            var body = RenderBody(format, document);
            var etag = ETagOf(body);
            // Item dates are the outlets' and a late dispatch carries an old one: Last-Modified is when this body
            // last changed here, or If-Modified-Since readers would be told 304 and miss the new item.
            var updated = new DateTimeOffset(document.Updated, TimeSpan.Zero);
            var now = time.GetUtcNow();
            var lastModified = cache.TryGetValue(format, out var previous) && previous.Feed.ETag == etag
                ? previous.Feed.LastModified
                : (updated > now ? updated : now);
            var rendered = new RenderedFeed(format, body, Gzip(body), etag, lastModified);
            cache[format] = (version, active, rendered);
            return rendered;
        }
    }

    private FeedDocument Gather(AggregatorConfig active, int? limit)
    {
        var entries = new List<StoryEntry>();
        foreach (var story in store.LatestStories(Math.Max(1, limit ?? active.Output.MaxItems)))
        {
            var members = story.ItemIds.Select(store.Find).OfType<StoredItem>().ToList();
            var canonical = members.FirstOrDefault(m => m.Id == story.CanonicalId) ?? members.FirstOrDefault();
            if (canonical is null)
            {
                continue;
            }

            var related = members.Where(m => m.Id != canonical.Id).OrderBy(m => m.Published).ToList();
            entries.Add(new StoryEntry(story.Id, canonical, related, canonical.Published, Max(story.Updated, canonical.Updated)));
        }

        var states = store.AllStates().ToDictionary(s => s.Id);
        var outlets = active.Feeds.ToDictionary(
            f => f.Id,
            f => new Outlet(f.Id, f.Name, f.Url, states.TryGetValue(f.Id, out var s) && Uri.TryCreate(s.SourceLink, UriKind.Absolute, out var site) ? site : null));
        var updated = entries.Count > 0 ? entries.Max(e => e.Updated) : time.GetUtcNow().UtcDateTime;
        return new FeedDocument(active.Output, entries, outlets, DateTime.SpecifyKind(updated, DateTimeKind.Utc));
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static byte[] RenderBody(ExportFormat format, FeedDocument document) => format switch
    {
        ExportFormat.Atom => AtomRenderer.Render(document),
        ExportFormat.Rss => RssRenderer.Render(document),
        _ => JsonFeedRenderer.Render(document),
    };

    internal static byte[] Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(body);
        }

        return buffer.ToArray();
    }

    internal static string ETagOf(byte[] body) => "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12)) + "\"";
}
