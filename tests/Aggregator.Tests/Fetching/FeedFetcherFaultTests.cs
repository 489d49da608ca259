using System.Text;
using Aggregator.Fetching;
using Aggregator.Scheduling;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Fetching;

/// <summary>Servers that misbehave on purpose: each is cut off by a limit and recorded as the feed's failure.</summary>
public sealed class FeedFetcherFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);
    private readonly ClockedPipeline pipeline = new();
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/trickle.xml", async (HttpContext c) =>
            {
                // A byte every 100 ms: no single read ever waits long, only the whole exchange does.
                c.Response.ContentType = "application/rss+xml";
                await c.Response.StartAsync(c.RequestAborted);
                while (!c.RequestAborted.IsCancellationRequested)
                {
                    await c.Response.Body.WriteAsync("<"u8.ToArray(), c.RequestAborted);
                    await c.Response.Body.FlushAsync(c.RequestAborted);
                    await Task.Delay(TimeSpan.FromMilliseconds(100), c.RequestAborted);
                }
            });
            app.MapGet("/endless.xml", async (HttpContext c) =>
            {
                c.Response.ContentType = "application/rss+xml";
                var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<item>encore</item>", 3000)));
                while (!c.RequestAborted.IsCancellationRequested)
                {
                    await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
                }
            });
            app.MapGet("/short-body.xml", async (HttpContext c) =>
            {
                c.Response.ContentLength = 10_000;
                await c.Response.Body.WriteAsync("<rss>"u8.ToArray(), c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
                c.Abort();
            });
            app.MapGet("/garbage.xml", () => Results.Bytes(Garbage(), "application/rss+xml"));
            app.MapGet("/loop.xml", () => Results.Redirect("/loop.xml", permanent: true));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        pipeline.Dispose();
    }

    [Fact]
    public async Task Fetch_ServerThatTricklesItsBody_IsCutOffByTheTimeout()
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync(server.Url("trickle.xml")));

        Assert.StartsWith("timed out after 1 s", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_BodyThatNeverEnds_IsCutOffAtMaxBytes()
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync(server.Url("endless.xml"), timeout: TimeSpan.FromSeconds(60)));

        Assert.Contains("exceeds the limit of 1048576 bytes", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ConnectionDroppedMidBody_Fails()
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync(server.Url("short-body.xml")));

        Assert.DoesNotContain("timed out", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_PermanentRedirectLoop_FailsAfterFiveRedirects()
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync(server.Url("loop.xml")));

        Assert.Contains("too many redirects", result.Reason, StringComparison.Ordinal);
        Assert.Null(result.MovedTo);
        Assert.Equal(6, server.HitsOf("/loop.xml"));
    }

    [Fact]
    public async Task Fetch_AnswerThatIsNotHttp_Fails()
    {
        await using var fault = new FaultServer(async (stream, ct) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.6\r\n"), ct);
            await stream.WriteAsync(Garbage(), ct);
        });

        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync(fault.Url("feed.xml")));

        Assert.StartsWith("invalid HTTP response", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_HeadersThatNeverEnd_AreCutOff()
    {
        await using var fault = new FaultServer(async (stream, ct) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray(), ct);
            var filler = Encoding.ASCII.GetBytes($"X-Filler: {new string('a', 1000)}\r\n");
            while (!ct.IsCancellationRequested)
            {
                await stream.WriteAsync(filler, ct);
            }
        });

        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync(fault.Url("feed.xml"), timeout: TimeSpan.FromSeconds(60)));

        Assert.DoesNotContain("timed out", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_HeadersTrickledAByteAtATime_AreCutOffByTheTimeout()
    {
        await using var fault = new FaultServer(async (stream, ct) =>
        {
            foreach (var b in "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: "u8.ToArray())
            {
                await stream.WriteAsync(new[] { b }, ct);
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }

            while (!ct.IsCancellationRequested)
            {
                await stream.WriteAsync("a"u8.ToArray(), ct);
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        });

        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync(fault.Url("feed.xml")));

        Assert.StartsWith("timed out after 1 s", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trickle.xml", "timed out")]
    [InlineData("endless.xml", "exceeds the limit")]
    [InlineData("loop.xml", "too many redirects")]
    [InlineData("garbage.xml", "malformed XML")]
    public async Task Refresh_MisbehavingServer_IsRecordedAsAFailureAndBacksOff(string path, string reason)
    {
        var feed = Pipeline.Feed("fault", server.Url(path), timeout: ShortTimeout, maxBytes: 1024 * 1024);

        var outcome = await pipeline.TickAsync(feed);

        Assert.Equal(RefreshKind.Failed, outcome!.Kind);
        Assert.Contains(reason, outcome.Reason, StringComparison.Ordinal);
        var state = pipeline.State("fault");
        Assert.Equal(1, state.ConsecutiveFailures);
        Assert.Contains(reason, state.LastError, StringComparison.Ordinal);
        Assert.NotNull(state.NotBefore);
        Assert.Null(state.MovedTo);
    }

    private Task<FetchResult> FetchAsync(Uri url, TimeSpan? timeout = null) =>
        pipeline.Fetcher.FetchAsync(Pipeline.Feed("fault", url, timeout ?? ShortTimeout, maxBytes: 1024 * 1024), null, TestContext.Current.CancellationToken);

    /// <summary>Bytes that are neither text nor XML: the same every run.</summary>
    private static byte[] Garbage()
    {
        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        return bytes;
    }
}
