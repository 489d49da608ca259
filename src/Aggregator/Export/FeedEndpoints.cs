using System.Globalization;
using Aggregator.Configuration;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Export;

/// <summary>Serves the rendered feeds from memory: validators, 304s, HEAD and gzip, so polling stays cheap.</summary>
internal static class FeedEndpoints
{
    private const string GzipSuffix = "-gz";

    /// <summary>/feed.atom, /feed.rss, /feed.json and the category feeds /c/{category}.atom|.rss|.json, with their query parameters.</summary>
    public static void MapFeeds(this IEndpointRouteBuilder app)
    {
        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            app.MapMethods("/" + FeedFormats.FileName(format), [HttpMethods.Get, HttpMethods.Head], (HttpContext context, FeedExporter exporter, ActiveConfig config) =>
                ServeAsync(context, exporter, config, format, null));
            app.MapMethods("/c/{category}" + Path.GetExtension(FeedFormats.FileName(format)), [HttpMethods.Get, HttpMethods.Head], (HttpContext context, string category, FeedExporter exporter, ActiveConfig config) =>
                ServeAsync(context, exporter, config, format, category));
        }
    }

    private static Task ServeAsync(HttpContext context, FeedExporter exporter, ActiveConfig config, ExportFormat format, string? category)
    {
        var active = config.Current;
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var parsed = FeedQueryParser.Parse(context.Request.Query, category, active, time.GetUtcNow());
        if (parsed.Query is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(parsed.Error + "\n");
        }

        return ServeAsync(context, exporter.Current(format, parsed.Query), active.Output.MaxAge);
    }

    private static Task ServeAsync(HttpContext context, RenderedFeed feed, TimeSpan maxAge)
    {
        var request = context.Request;
        var response = context.Response;
        var gzip = AcceptsGzip(request);
        // Each representation has its own strong validator; the gzip one is marked so caches keep them apart.
        var etag = gzip ? feed.ETag.Insert(feed.ETag.Length - 1, GzipSuffix) : feed.ETag;
        response.Headers.ETag = etag;
        response.Headers.LastModified = feed.LastModified.ToString("R");
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.CacheControl = "public, max-age=" + ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        if (IsNotModified(request, feed, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var body = gzip ? feed.Gzipped : feed.Body;
        response.ContentType = feed.ContentType;
        response.ContentLength = body.Length;
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static bool IsNotModified(HttpRequest request, RenderedFeed feed, string etag)
    {
        var ifNoneMatch = request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            // If-None-Match wins over If-Modified-Since (RFC 9110); weak comparison, either representation.
            return ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any)
                || tag.Tag.Value?.Trim('"').Replace(GzipSuffix, "", StringComparison.Ordinal) == feed.ETag.Trim('"'));
        }

        var since = request.GetTypedHeaders().IfModifiedSince;
        return since is not null && feed.LastModified.ToUnixTimeSeconds() <= since.Value.ToUnixTimeSeconds();
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (e.Quality ?? 1) > 0);
}
