using System.Text;
using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Export;

/// <summary>
/// The home page kept in memory like the feeds: rendered again only when the store, the configuration or the
/// sources' health changed, then served with the same validators, 304s and gzip.
/// </summary>
internal sealed class HtmlPageCache(FeedExporter exporter, ItemStore store, ActiveConfig config, TimeProvider time)
{
    private readonly Lock cacheLock = new();
    private (long Version, AggregatorConfig Config, SourceHealth Health, ServedBody Page)? cached;
    private string? cachedETag;
    private DateTimeOffset cachedLastModified;

    /// <summary>The page as the static export's index.html.</summary>
    public static StaticFile StaticFile(HtmlPageCache page) => new("index.html", () => page.Current().Body);

    public ServedBody Current()
    {
        var version = store.Version;
        var active = config.Current;
        // Fetch outcomes are not store versions: a feed that starts failing changes the page's health line.
        var health = SourceHealth.Of(active, store.AllStates());
        lock (cacheLock)
        {
            if (cached is { } entry && entry.Version == version && ReferenceEquals(entry.Config, active) && entry.Health == health)
            {
                return entry.Page;
            }

            var body = Encoding.UTF8.GetBytes(HtmlPage.Render(exporter.Document(), active, health));
            var etag = FeedExporter.ETagOf(body);
            if (etag != cachedETag)
            {
                cachedETag = etag;
                cachedLastModified = time.GetUtcNow();
            }

            var page = new ServedBody(body, FeedExporter.Gzip(body), etag, cachedLastModified, HtmlPage.ContentType, active.Output.MaxAge);
            cached = (version, active, health, page);
            return page;
        }
    }
}

/// <summary>GET / and /index.html: the home page.</summary>
internal static class HtmlPageEndpoints
{
    public static void MapHtmlPage(this IEndpointRouteBuilder app)
    {
        var page = app.ServiceProvider.GetRequiredService<HtmlPageCache>();
        foreach (var path in (string[])["/", "/index.html"])
        {
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], context => FeedEndpoints.ServeAsync(context, page.Current()));
        }
    }
}
