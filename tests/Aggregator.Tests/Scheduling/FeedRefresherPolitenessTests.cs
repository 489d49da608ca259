using System.Globalization;
using Aggregator.Configuration;
using Aggregator.Scheduling;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Scheduling;

/// <summary>The refresher on a hand-moved clock against a real server: when a feed is asked, and where.</summary>
public sealed class FeedRefresherPolitenessTests : IAsyncLifetime
{
    private static readonly byte[] Rss = TestData.Bytes("Feeds/rss2-french.xml");
    private readonly ClockedPipeline pipeline = new(new FetchingSettings { MaxBackoff = TimeSpan.FromMinutes(10) });
    private FixtureServer server = null!;
    private int flakyStatus = 500;
    private string? retryAfter;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/feed.xml", () => Results.Bytes(Rss, "application/rss+xml"));
            app.MapGet("/other.xml", () => Results.Bytes(Rss, "application/rss+xml"));
            app.MapGet("/flaky.xml", (HttpContext c) =>
            {
                if (flakyStatus == 200)
                {
                    return Results.Bytes(Rss, "application/rss+xml");
                }

                if (retryAfter is not null)
                {
                    c.Response.Headers.RetryAfter = retryAfter;
                }

                return Results.StatusCode(flakyStatus);
            });
            app.MapGet("/gone.xml", () => Results.StatusCode(410));
            app.MapGet("/moved/{code:int}", (HttpContext c, int code) =>
            {
                c.Response.Headers.Location = "/feed.xml";
                return Results.StatusCode(code);
            });
            app.MapGet("/hint/{name}", (string name) => Results.Bytes(TestData.Bytes($"Feeds/{name}"), "application/rss+xml"));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        pipeline.Dispose();
    }

    [Fact]
    public async Task Tick_429WithRetryAfterSeconds_IsNotAskedAgainBeforeThen()
    {
        var feed = Feed("flaky.xml");
        (flakyStatus, retryAfter) = (429, "480");
        var asked = pipeline.Clock.UtcNow;

        await pipeline.TickAsync(feed);
        pipeline.Clock.Advance(TimeSpan.FromMinutes(5));
        var early = await pipeline.TickAsync(feed);
        flakyStatus = 200;
        pipeline.Clock.Advance(TimeSpan.FromMinutes(3));
        var due = await pipeline.TickAsync(feed);

        Assert.Null(early);
        Assert.Equal(RefreshKind.New, due!.Kind);
        Assert.Equal(2, server.HitsOf("/flaky.xml"));
        Assert.Null(pipeline.State("flaky").NotBefore);
        Assert.NotEqual(asked, pipeline.State("flaky").LastSuccess);
    }

    [Fact]
    public async Task Tick_503WithRetryAfterDate_WaitsUntilThatDate()
    {
        var feed = Feed("flaky.xml");
        var date = pipeline.Clock.GetUtcNow().AddMinutes(9);
        (flakyStatus, retryAfter) = (503, date.ToString("r", CultureInfo.InvariantCulture));

        await pipeline.TickAsync(feed);

        var state = pipeline.State("flaky");
        Assert.Equal(date.UtcDateTime, state.NotBefore);
        Assert.Contains("HTTP 503", state.NotBeforeReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tick_503WithoutRetryAfter_BacksOff()
    {
        var feed = Feed("flaky.xml");
        flakyStatus = 503;

        await pipeline.TickAsync(feed);
        await pipeline.TickAsync(feed);

        Assert.Equal(1, server.HitsOf("/flaky.xml"));
        Assert.StartsWith("backoff after 1 failure", pipeline.State("flaky").NotBeforeReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tick_ConsecutiveFailures_WaitDoublingUpToTheCapThenResetOnSuccess()
    {
        var feed = Feed("flaky.xml");
        var waits = new List<TimeSpan>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var asked = pipeline.Clock.UtcNow;
            Assert.Equal(RefreshKind.Failed, (await pipeline.TickAsync(feed))!.Kind);
            var notBefore = pipeline.State("flaky").NotBefore!.Value;
            waits.Add(notBefore - asked);

            // A beat before the wait ends the feed is left alone; at its end it is asked again.
            pipeline.Clock.Advance(notBefore - asked - TimeSpan.FromSeconds(30));
            Assert.Null(await pipeline.TickAsync(feed));
            pipeline.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        flakyStatus = 200;
        var recovered = await pipeline.TickAsync(feed);

        double[] expectedMinutes = [1, 2, 4, 8, 10, 10];
        Assert.All(waits.Zip(expectedMinutes), w => Assert.InRange(w.First.TotalMinutes, w.Second * (1 - FetchPolicy.MaxJitter), w.Second));
        Assert.Equal(RefreshKind.New, recovered!.Kind);
        var state = pipeline.State("flaky");
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Null(state.NotBefore);
        Assert.Equal(7, server.HitsOf("/flaky.xml"));
    }

    [Fact]
    public async Task Fetch_Manual_IgnoresTheBackoff()
    {
        var feed = Feed("flaky.xml");
        await pipeline.TickAsync(feed);

        await pipeline.FetchAsync(feed);

        Assert.Equal(2, server.HitsOf("/flaky.xml"));
        Assert.Equal(2, pipeline.State("flaky").ConsecutiveFailures);
    }

    [Fact]
    public async Task Tick_410_StopsPollingUntilTheEntryChanges()
    {
        var feed = Feed("gone.xml") with { Id = "gone" };
        await pipeline.TickAsync(feed);
        pipeline.Clock.Advance(TimeSpan.FromDays(30));

        var scheduled = await pipeline.TickAsync(feed);
        var manual = await pipeline.FetchAsync(feed);
        var edited = await pipeline.TickAsync(feed with { Url = server.Url("feed.xml") });

        Assert.Null(scheduled);
        Assert.Equal(RefreshKind.Failed, manual.Kind);
        Assert.Contains("gone (HTTP 410)", manual.Reason, StringComparison.Ordinal);
        Assert.Equal(1, server.HitsOf("/gone.xml"));
        Assert.Equal(RefreshKind.New, edited!.Kind);
        Assert.False(pipeline.State("gone").Gone);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(308)]
    public async Task Fetch_PermanentRedirect_IsRememberedAndUsedNextTime(int status)
    {
        var feed = Feed($"moved/{status}");

        await pipeline.FetchAsync(feed);
        var second = await pipeline.FetchAsync(feed);

        Assert.Equal(RefreshKind.Unchanged, second.Kind);
        Assert.Equal(1, server.HitsOf($"/moved/{status}"));
        Assert.Equal(2, server.HitsOf("/feed.xml"));
        var state = pipeline.State("flaky");
        Assert.Equal(server.Url("feed.xml").AbsoluteUri, state.MovedTo);
        Assert.Equal(feed.Url.AbsoluteUri, state.MovedFrom);
    }

    [Fact]
    public async Task Fetch_TemporaryRedirect_IsNotRemembered()
    {
        var feed = Feed("moved/302");

        await pipeline.FetchAsync(feed);
        await pipeline.FetchAsync(feed);

        Assert.Equal(2, server.HitsOf("/moved/302"));
        Assert.Null(pipeline.State("flaky").MovedTo);
    }

    [Fact]
    public async Task Fetch_MovedFeedWhoseUrlTheAdminChanged_ForgetsTheOldMove()
    {
        await pipeline.FetchAsync(Feed("moved/301"));

        await pipeline.FetchAsync(Feed("other.xml"));

        Assert.Equal(1, server.HitsOf("/other.xml"));
        Assert.Null(pipeline.State("flaky").MovedTo);
    }

    [Fact]
    public async Task Tick_FeedAskingForALongerInterval_IsPolledAtItsPace()
    {
        using var paced = new ClockedPipeline();
        var feed = Feed("hint/hint-ttl.xml") with { Interval = TimeSpan.FromMinutes(15) };
        await paced.TickAsync(feed);

        var skipped = new List<RefreshOutcome?>();
        for (var beat = 1; beat <= 3; beat++)
        {
            paced.Clock.Advance(TimeSpan.FromMinutes(15));
            skipped.Add(await paced.TickAsync(feed));
        }

        paced.Clock.Advance(TimeSpan.FromMinutes(15));
        var due = await paced.TickAsync(feed);

        Assert.All(skipped, Assert.Null);
        Assert.NotNull(due);
        Assert.Equal(2, server.HitsOf("/hint/hint-ttl.xml"));
        Assert.Equal(60, paced.State("flaky").HintMinutes);
    }

    [Fact]
    public async Task Tick_FeedAskingForAShorterInterval_KeepsOurs()
    {
        var feed = Feed("hint/hint-short.xml") with { Interval = TimeSpan.FromMinutes(15) };
        await pipeline.TickAsync(feed);

        pipeline.Clock.Advance(TimeSpan.FromMinutes(15));
        var next = await pipeline.TickAsync(feed);

        Assert.NotNull(next);
        Assert.Null(pipeline.State("flaky").NotBefore);
    }

    private FeedConfig Feed(string path) => Pipeline.Feed("flaky", server.Url(path)) with { Interval = TimeSpan.FromMinutes(1) };
}
