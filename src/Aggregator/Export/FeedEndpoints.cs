using Aggregator.Observability;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Export;

/// <summary>Serves the rendered feeds from memory: validators, 304s, HEAD and gzip, so polling stays cheap.</summary>
internal static class FeedEndpoints
{
    private const string GzipSuffix = "-gz";

    public static void MapFeeds(this IEndpointRouteBuilder app)
    {
        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            app.MapMethods("/" + FeedFormats.FileName(format), [HttpMethods.Get, HttpMethods.Head], async (HttpContext context, FeedExporter exporter, [FromServices] AggregatorMetrics? metrics) =>
            {
                await ServeAsync(context, exporter.Current(format));
                metrics?.RecordExport(format, context.Response.StatusCode);
            });
        }
    }

    private static Task ServeAsync(HttpContext context, RenderedFeed feed)
    {
        var request = context.Request;
        var response = context.Response;
        var gzip = AcceptsGzip(request);
        // Each representation has its own strong validator; the gzip one is marked so caches keep them apart.
        var etag = gzip ? feed.ETag.Insert(feed.ETag.Length - 1, GzipSuffix) : feed.ETag;
        response.Headers.ETag = etag;
        response.Headers.LastModified = feed.LastModified.ToString("R");
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.CacheControl = "public, max-age=60";
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
