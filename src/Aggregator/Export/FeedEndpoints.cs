using System.Globalization;
using System.Runtime.CompilerServices;
using Aggregator.Configuration;
using Aggregator.Observability;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Export;

/// <summary>Serves the rendered feeds from memory: validators, 304s, HEAD and gzip, so polling stays cheap.</summary>
internal static class FeedEndpoints
{
    internal const string GzipSuffix = "-gz";

    // Header values are worked out once per rendering, not once per request: readers poll the same bytes all day.
    private static readonly ConditionalWeakTable<RenderedFeed, ServedBody> Prepared = [];

    /// <summary>/feed.atom, /feed.rss, /feed.json and the category feeds /c/{category}.atom|.rss|.json, with their query parameters.</summary>
    public static void MapFeeds(this IEndpointRouteBuilder app)
    {
        // A singleton taken once: resolving it per request would open a service scope for every poll.
        var exporter = app.ServiceProvider.GetRequiredService<FeedExporter>();
        var config = app.ServiceProvider.GetRequiredService<ActiveConfig>();
        var time = app.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        var metrics = app.ServiceProvider.GetService<AggregatorMetrics>();
        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            app.MapMethods("/" + FeedFormats.FileName(format), [HttpMethods.Get, HttpMethods.Head], context =>
                Counted(context, ServeAsync(context, exporter, config, time, format, null), metrics, format));
            app.MapMethods("/c/{category}" + Path.GetExtension(FeedFormats.FileName(format)), [HttpMethods.Get, HttpMethods.Head], context =>
                Counted(context, ServeAsync(context, exporter, config, time, format, context.Request.RouteValues["category"] as string), metrics, format));
        }
    }

    /// <summary>Counts the request once served; a 304 or a cached body completes at once, without a state machine.</summary>
    private static Task Counted(HttpContext context, Task serving, AggregatorMetrics? metrics, ExportFormat format)
    {
        if (serving.IsCompletedSuccessfully)
        {
            metrics?.RecordExport(format, context.Response.StatusCode);
            return Task.CompletedTask;
        }

        return CountedAsync(context, serving, metrics, format);
    }

    private static async Task CountedAsync(HttpContext context, Task serving, AggregatorMetrics? metrics, ExportFormat format)
    {
        await serving;
        metrics?.RecordExport(format, context.Response.StatusCode);
    }

    public static ServedBody Prepare(RenderedFeed feed, TimeSpan maxAge) =>
        Prepared.GetValue(feed, f => new ServedBody(f.Body, f.Gzipped, f.ETag, f.LastModified, f.ContentType, maxAge));

    private static Task ServeAsync(HttpContext context, FeedExporter exporter, ActiveConfig config, TimeProvider time, ExportFormat format, string? category)
    {
        var active = config.Current;
        var query = FeedQuery.All;
        if (category is not null || context.Request.QueryString.HasValue)
        {
            var parsed = FeedQueryParser.Parse(context.Request.Query, category, active, time.GetUtcNow());
            if (parsed.Query is null)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync(parsed.Error + "\n");
            }

            query = parsed.Query;
        }

        return ServeAsync(context, Prepare(exporter.Current(format, query), active.Output.MaxAge));
    }

    public static Task ServeAsync(HttpContext context, ServedBody served)
    {
        var request = context.Request;
        var response = context.Response;
        var gzip = AcceptsGzip(request);
        // Each representation has its own strong validator; the gzip one is marked so caches keep them apart.
        var headers = response.Headers;
        headers.ETag = gzip ? served.GzipETag : served.ETag;
        headers.LastModified = served.LastModified;
        headers.Vary = ServedBody.Vary;
        headers.CacheControl = served.CacheControl;
        if (IsNotModified(request, served))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var body = gzip ? served.Gzipped : served.Body;
        headers.ContentType = served.ContentType;
        response.ContentLength = body.Length;
        if (gzip)
        {
            headers.ContentEncoding = ServedBody.Gzip;
        }

        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static bool IsNotModified(HttpRequest request, ServedBody served)
    {
        var raw = request.Headers.IfNoneMatch;
        if (raw.Count > 0)
        {
            // A reader sends back the tag it was given: that needs no parsing.
            if (raw.Count == 1 && (raw[0] == served.ETag || raw[0] == served.GzipETag))
            {
                return true;
            }

            // If-None-Match wins over If-Modified-Since (RFC 9110); weak comparison, either representation.
            var tag = served.ETag.ToString().Trim('"');
            return request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any)
                || t.Tag.Value?.Trim('"').Replace(GzipSuffix, "", StringComparison.Ordinal) == tag);
        }

        if (request.Headers.IfModifiedSince.Count == 0)
        {
            return false;
        }

        var since = request.GetTypedHeaders().IfModifiedSince;
        return since is not null && served.LastModifiedSeconds <= since.Value.ToUnixTimeSeconds();
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        var raw = request.Headers.AcceptEncoding;
        if (raw.Count == 0)
        {
            return false;
        }

        // "gzip, deflate, br" as readers send it has no weights to read: only a ';' can carry q=0.
        if (raw.Count == 1 && !raw[0].AsSpan().Contains(';'))
        {
            return raw[0].AsSpan().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        }

        return request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (e.Quality ?? 1) > 0);
    }
}

/// <summary>A body ready to serve: both encodings and every header value, computed once per rendering.</summary>
internal sealed class ServedBody(byte[] body, byte[] gzipped, string etag, DateTimeOffset lastModified, string contentType, TimeSpan maxAge)
{
    public static readonly StringValues Vary = HeaderNames.AcceptEncoding;
    public static readonly StringValues Gzip = "gzip";

    public StringValues CacheControl { get; } = "public, max-age=" + ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    public byte[] Body { get; } = body;

    public byte[] Gzipped { get; } = gzipped;

    public StringValues ETag { get; } = etag;

    public StringValues GzipETag { get; } = etag.Insert(etag.Length - 1, FeedEndpoints.GzipSuffix);

    public StringValues LastModified { get; } = lastModified.ToString("R");

    public long LastModifiedSeconds { get; } = lastModified.ToUnixTimeSeconds();

    public StringValues ContentType { get; } = contentType;
}
