using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Aggregator.Fetching;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Fetching;

public sealed class FeedFetcherTests : IAsyncLifetime
{
    private const string Etag = "\"v1\"";
    private const string LastModified = "Fri, 13 Nov 2015 10:30:00 GMT";
    private static readonly byte[] Rss = TestData.Bytes("Feeds/rss2-french.xml");
    private readonly Pipeline pipeline = new();
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/etag.xml", (HttpContext c) => c.Request.Headers.IfNoneMatch == Etag
                ? Results.StatusCode(304)
                : WithHeader(c, "ETag", Etag, Rss));
            app.MapGet("/last-modified.xml", (HttpContext c) => c.Request.Headers.IfModifiedSince == LastModified
                ? Results.StatusCode(304)
                : WithHeader(c, "Last-Modified", LastModified, Rss));
            app.MapGet("/gzip.xml", (HttpContext c) => WithHeader(c, "Content-Encoding", "gzip", Gzip(Rss)));
            app.MapGet("/moved.xml", () => Results.Redirect("/etag.xml", permanent: true));
            app.MapGet("/loop.xml", () => Results.Redirect("/loop.xml"));
            app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
            app.MapGet("/slow.xml", async (HttpContext c) =>
            {
                c.Response.ContentType = "application/rss+xml";
                await c.Response.WriteAsync("<rss version=\"2.0\">", c.RequestAborted);
                await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted);
            });
            app.MapGet("/big.xml", async (HttpContext c) =>
            {
                c.Response.ContentType = "application/rss+xml";
                var chunk = new byte[64 * 1024];
                for (var i = 0; i < 64 && !c.RequestAborted.IsCancellationRequested; i++)
                {
                    await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
                }
            });
            app.MapGet("/bomb.xml", (HttpContext c) => WithHeader(c, "Content-Encoding", "gzip", Gzip(new byte[256 * 1024 * 1024])));
            app.MapGet("/latin1.xml", () => Results.Bytes(Windows1252Feed(), "application/rss+xml; charset=ISO-8859-1"));
            app.MapGet("/bom.xml", () => Results.Bytes([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Été</title></channel></rss>")], "text/xml"));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        pipeline.Dispose();
    }

    [Fact]
    public async Task Fetch_UnchangedFeedWithEtag_Returns304()
    {
        var feed = Pipeline.Feed("etag", server.Url("etag.xml"));

        var first = Assert.IsType<FetchResult.Fetched>(await pipeline.Fetcher.FetchAsync(feed, null, TestContext.Current.CancellationToken));
        var second = await pipeline.Fetcher.FetchAsync(feed, new CacheValidators(first.ETag, first.LastModified), TestContext.Current.CancellationToken);

        Assert.Equal(Etag, first.ETag);
        Assert.IsType<FetchResult.NotModified>(second);
    }

    [Fact]
    public async Task Fetch_UnchangedFeedWithLastModified_Returns304()
    {
        var feed = Pipeline.Feed("lm", server.Url("last-modified.xml"));

        var first = Assert.IsType<FetchResult.Fetched>(await pipeline.Fetcher.FetchAsync(feed, null, TestContext.Current.CancellationToken));
        var second = await pipeline.Fetcher.FetchAsync(feed, new CacheValidators(null, first.LastModified), TestContext.Current.CancellationToken);

        Assert.Equal(LastModified, first.LastModified);
        Assert.IsType<FetchResult.NotModified>(second);
    }

    [Fact]
    public async Task Fetch_GzipBody_IsDecompressed()
    {
        var result = await pipeline.Fetcher.FetchAsync(Pipeline.Feed("gz", server.Url("gzip.xml")), null, TestContext.Current.CancellationToken);

        Assert.Contains("Séisme dans le Sichuan", Assert.IsType<FetchResult.Fetched>(result).Body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_PermanentRedirect_IsFollowedAndFinalUrlKept()
    {
        var result = Assert.IsType<FetchResult.Fetched>(await pipeline.Fetcher.FetchAsync(Pipeline.Feed("moved", server.Url("moved.xml")), null, TestContext.Current.CancellationToken));

        Assert.Equal(server.Url("etag.xml"), result.FinalUrl);
    }

    [Fact]
    public async Task Fetch_RedirectLoop_FailsAfterFiveRedirects()
    {
        var result = Assert.IsType<FetchResult.Failed>(await pipeline.Fetcher.FetchAsync(Pipeline.Feed("loop", server.Url("loop.xml")), null, TestContext.Current.CancellationToken));

        Assert.Contains("redirect", result.Reason, StringComparison.Ordinal);
        Assert.InRange(server.HitsOf("/loop.xml"), 5, 6);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Fetch_HttpError_FailsWithStatus(int status)
    {
        var result = Assert.IsType<FetchResult.Failed>(await pipeline.Fetcher.FetchAsync(Pipeline.Feed("err", server.Url($"status/{status}")), null, TestContext.Current.CancellationToken));

        Assert.Equal(status, result.StatusCode);
        Assert.StartsWith($"HTTP {status}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ServerThatNeverFinishes_TimesOut()
    {
        var feed = Pipeline.Feed("slow", server.Url("slow.xml"), timeout: TimeSpan.FromSeconds(1));

        var result = Assert.IsType<FetchResult.Failed>(await pipeline.Fetcher.FetchAsync(feed, null, TestContext.Current.CancellationToken));

        Assert.StartsWith("timed out", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_OversizedBody_IsCutOff()
    {
        var feed = Pipeline.Feed("big", server.Url("big.xml"), maxBytes: 1024 * 1024);

        var result = Assert.IsType<FetchResult.Failed>(await pipeline.Fetcher.FetchAsync(feed, null, TestContext.Current.CancellationToken));

        Assert.Contains("exceeds the limit", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_GzipBomb_StopsAtTheLimitAfterDecompression()
    {
        var feed = Pipeline.Feed("bomb", server.Url("bomb.xml"), maxBytes: 1024 * 1024);

        var result = Assert.IsType<FetchResult.Failed>(await pipeline.Fetcher.FetchAsync(feed, null, TestContext.Current.CancellationToken));

        Assert.Contains("exceeds the limit", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_Windows1252BytesUnderIso88591Label_DecodeCurlyApostrophes()
    {
        var result = Assert.IsType<FetchResult.Fetched>(await pipeline.Fetcher.FetchAsync(Pipeline.Feed("latin1", server.Url("latin1.xml")), null, TestContext.Current.CancellationToken));

        Assert.Contains("l’armée œuvre – «\u00A0ici\u00A0»", result.Body.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0092', result.Body.Text);
        Assert.DoesNotContain('\uFFFD', result.Body.Text);
    }

    [Fact]
    public async Task Fetch_Utf8Bom_IsDecodedWithoutTheMark()
    {
        var result = Assert.IsType<FetchResult.Fetched>(await pipeline.Fetcher.FetchAsync(Pipeline.Feed("bom", server.Url("bom.xml")), null, TestContext.Current.CancellationToken));

        Assert.StartsWith("<?xml", result.Body.Text, StringComparison.Ordinal);
        Assert.Contains("Été", result.Body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_RefusedConnection_FailsWithReason()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = Assert.IsType<FetchResult.Failed>(await pipeline.Fetcher.FetchAsync(Pipeline.Feed("refused", new Uri($"http://127.0.0.1:{port}/feed.xml")), null, TestContext.Current.CancellationToken));

        Assert.StartsWith("connection failed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_SendsProductUserAgentAndCompressionHeaders()
    {
        string? userAgent = null, acceptEncoding = null;
        await using var probe = await FixtureServer.StartAsync(app => app.MapGet("/ua.xml", (HttpContext c) =>
        {
            userAgent = c.Request.Headers.UserAgent;
            acceptEncoding = c.Request.Headers.AcceptEncoding;
            return Results.Bytes(Rss, "application/rss+xml");
        }));

        await pipeline.Fetcher.FetchAsync(Pipeline.Feed("ua", probe.Url("ua.xml")), null, TestContext.Current.CancellationToken);

        Assert.StartsWith("Aggregator/", userAgent, StringComparison.Ordinal);
        Assert.Contains("gzip", acceptEncoding, StringComparison.Ordinal);
        Assert.Contains("br", acceptEncoding, StringComparison.Ordinal);
    }

    private static IResult WithHeader(HttpContext context, string name, string value, byte[] body)
    {
        context.Response.Headers[name] = value;
        return Results.Bytes(body, "application/rss+xml");
    }

    private static byte[] Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(body);
        }

        return buffer.ToArray();
    }

    /// <summary>What Chinese and North African CMSs send: windows-1252 bytes (0x92, 0x9C, 0x96, 0xAB) labelled ISO-8859-1.</summary>
    private static byte[] Windows1252Feed()
    {
        var head = Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>l");
        byte[] special = [0x92, (byte)'a', (byte)'r', (byte)'m', 0xE9, (byte)'e', (byte)' ', 0x9C, (byte)'u', (byte)'v', (byte)'r', (byte)'e', (byte)' ', 0x96, (byte)' ', 0xAB, 0xA0, (byte)'i', (byte)'c', (byte)'i', 0xA0, 0xBB];
        var tail = Encoding.ASCII.GetBytes("</title></channel></rss>");
        return [.. head, .. special, .. tail];
    }
}
