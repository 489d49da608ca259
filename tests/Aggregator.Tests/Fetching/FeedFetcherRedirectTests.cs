using Aggregator.Fetching;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Fetching;

/// <summary>FeedFetcher's own redirect handling, and the Retry-After it reads from 429 and 503.</summary>
public sealed class FeedFetcherRedirectTests : IAsyncLifetime
{
    private readonly ClockedPipeline pipeline = new();
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/feed.xml", () => Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml"));
            app.MapGet("/status/{code:int}/to/{*target}", (HttpContext c, int code, string target) =>
            {
                c.Response.Headers.Location = "/" + target;
                return Results.StatusCode(code);
            });
            app.MapGet("/relative/{code:int}", (HttpContext c, int code) =>
            {
                c.Response.Headers.Location = "../feed.xml";
                return Results.StatusCode(code);
            });
            app.MapGet("/no-location", () => Results.StatusCode(301));
            app.MapGet("/to-ftp", (HttpContext c) =>
            {
                c.Response.Headers.Location = "ftp://agence.example/feed.xml";
                return Results.StatusCode(302);
            });
            app.MapGet("/chain/{hops:int}", (int hops) => hops == 0 ? Results.Redirect("/feed.xml") : Results.Redirect($"/chain/{hops - 1}"));
            app.MapGet("/retry/{code:int}", (HttpContext c, int code) =>
            {
                c.Response.Headers.RetryAfter = c.Request.Query["after"].ToString();
                return Results.StatusCode(code);
            });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        pipeline.Dispose();
    }

    [Theory]
    [InlineData(301)]
    [InlineData(308)]
    public async Task Fetch_PermanentRedirect_ReportsWhereTheFeedMoved(int status)
    {
        var result = await FetchAsync($"status/{status}/to/feed.xml");

        Assert.IsType<FetchResult.Fetched>(result);
        Assert.Equal(server.Url("feed.xml"), result.MovedTo);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    public async Task Fetch_TemporaryRedirect_IsFollowedButNotAMove(int status)
    {
        var result = Assert.IsType<FetchResult.Fetched>(await FetchAsync($"status/{status}/to/feed.xml"));

        Assert.Equal(server.Url("feed.xml"), result.FinalUrl);
        Assert.Null(result.MovedTo);
    }

    [Fact]
    public async Task Fetch_PermanentThenTemporary_MovesOnlyAsFarAsThePermanentHop()
    {
        var result = await FetchAsync("status/301/to/status/302/to/feed.xml");

        Assert.IsType<FetchResult.Fetched>(result);
        Assert.Equal(server.Url("status/302/to/feed.xml"), result.MovedTo);
    }

    [Fact]
    public async Task Fetch_TemporaryThenPermanent_IsNotAMove()
    {
        var result = await FetchAsync("status/302/to/status/301/to/feed.xml");

        Assert.IsType<FetchResult.Fetched>(result);
        Assert.Null(result.MovedTo);
    }

    [Fact]
    public async Task Fetch_RelativeLocation_IsResolvedAgainstTheRequest()
    {
        var result = Assert.IsType<FetchResult.Fetched>(await FetchAsync("relative/308"));

        Assert.Equal(server.Url("feed.xml"), result.FinalUrl);
    }

    [Fact]
    public async Task Fetch_FiveRedirects_AreFollowed()
    {
        Assert.IsType<FetchResult.Fetched>(await FetchAsync("chain/4"));
    }

    [Fact]
    public async Task Fetch_SixRedirects_FailAfterTheFifth()
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync("chain/5"));

        Assert.Contains("too many redirects", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, server.HitsOf("/feed.xml"));
    }

    [Fact]
    public async Task Fetch_RedirectWithoutLocation_Fails()
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync("no-location"));

        Assert.Equal("HTTP 301 without a Location", result.Reason);
    }

    [Fact]
    public async Task Fetch_RedirectToAnotherScheme_IsRefused()
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync("to-ftp"));

        Assert.Contains("ftp address refused", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Fetch_RetryAfterInSeconds_IsAnInstantOnOurClock(int status)
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync($"retry/{status}?after=120"));

        Assert.Equal(status, result.StatusCode);
        Assert.Equal(pipeline.Clock.GetUtcNow().AddSeconds(120), result.RetryAt);
    }

    [Fact]
    public async Task Fetch_RetryAfterAsHttpDate_IsThatDate()
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync("retry/429?after=Mon, 02 Mar 2026 11:30:00 GMT"));

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 11, 30, 0, TimeSpan.Zero), result.RetryAt);
    }

    [Theory]
    [InlineData("retry/500?after=120")]
    [InlineData("retry/429?after=soon")]
    public async Task Fetch_RetryAfterOnOtherStatusOrUnreadable_IsIgnored(string path)
    {
        var result = Assert.IsType<FetchResult.Failed>(await FetchAsync(path));

        Assert.Null(result.RetryAt);
    }

    private Task<FetchResult> FetchAsync(string path) =>
        pipeline.Fetcher.FetchAsync(Pipeline.Feed("redirects", server.Url(path)), null, TestContext.Current.CancellationToken);
}
