using System.Text;
using Aggregator.Scheduling;
using Aggregator.Storage;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Scheduling;

public sealed class FeedRefresherTests : IAsyncLifetime
{
    private readonly Pipeline pipeline = new();
    private FixtureServer server = null!;
    private string correctableTitle = "Titre initial";
    private string? correctableUpdated;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/rss2.xml", (HttpContext c) =>
            {
                c.Response.Headers.ETag = "\"rss2\"";
                return c.Request.Headers.IfNoneMatch == "\"rss2\"" ? Results.StatusCode(304) : Results.Bytes(TestData.Bytes("Feeds/rss2-french.xml"), "application/rss+xml");
            });
            app.MapGet("/ids.xml", () => Results.Bytes(TestData.Bytes("Feeds/no-guid-no-link.xml"), "application/rss+xml"));
            app.MapGet("/malformed.xml", () => Results.Bytes(TestData.Bytes("Feeds/malformed.xml"), "application/rss+xml"));
            app.MapGet("/gone.xml", () => Results.StatusCode(410));
            app.MapGet("/broken.xml", () => Results.StatusCode(500));
            app.MapGet("/correctable.xml", () => Results.Bytes(Encoding.UTF8.GetBytes(CorrectableFeed()), "application/atom+xml"));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        pipeline.Dispose();
    }

    [Fact]
    public async Task Refresh_NewFeed_StoresEveryItem()
    {
        var outcome = await pipeline.RefreshAsync(Pipeline.Feed("rss2", server.Url("rss2.xml")));

        Assert.Equal(RefreshKind.New, outcome.Kind);
        Assert.Equal(3, outcome.New);
        Assert.Equal(3, pipeline.Store.CountItems("rss2"));
    }

    [Fact]
    public async Task Refresh_SameItemsTwice_StoresOnce()
    {
        var feed = Pipeline.Feed("ids", server.Url("ids.xml"));

        await pipeline.RefreshAsync(feed);
        var version = pipeline.Store.Version;
        var second = await pipeline.RefreshAsync(feed);

        Assert.Equal(RefreshKind.Unchanged, second.Kind);
        Assert.Equal(2, second.Unchanged);
        Assert.Equal(2, pipeline.Store.CountItems());
        Assert.Equal(version, pipeline.Store.Version);
    }

    [Fact]
    public async Task Refresh_UnchangedFeedWithEtag_IsNotModifiedAndWritesNothing()
    {
        var feed = Pipeline.Feed("rss2", server.Url("rss2.xml"));

        await pipeline.RefreshAsync(feed);
        var version = pipeline.Store.Version;
        var second = await pipeline.RefreshAsync(feed);

        Assert.Equal(RefreshKind.NotModified, second.Kind);
        Assert.Equal(version, pipeline.Store.Version);
        Assert.Equal("\"rss2\"", pipeline.Store.GetState("rss2").ETag);
    }

    [Fact]
    public async Task Refresh_ItemsWithoutGuid_AreIdentifiedByCanonicalLinkOrHash()
    {
        await pipeline.RefreshAsync(Pipeline.Feed("ids", server.Url("ids.xml")));

        var identities = pipeline.Store.Latest(10).Select(i => i.Identity).Order().ToList();
        Assert.StartsWith("hash:", identities[0], StringComparison.Ordinal);
        Assert.Equal("link:https://sans.example/a.html?id=7", identities[1]);
    }

    [Fact]
    public async Task Refresh_ItemCorrectedAtSource_UpdatesTheEntryInPlace()
    {
        var feed = Pipeline.Feed("fix", server.Url("correctable.xml"));
        await pipeline.RefreshAsync(feed);
        var before = Assert.Single(pipeline.Store.Latest(10));

        correctableTitle = "Titre corrigé";
        correctableUpdated = "2015-11-14T12:00:00Z";
        var outcome = await pipeline.RefreshAsync(feed);

        var after = Assert.Single(pipeline.Store.Latest(10));
        Assert.Equal(RefreshKind.Updated, outcome.Kind);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal("Titre corrigé", after.Title);
        Assert.True(after.Updated > before.Updated);
        Assert.Equal(new DateTime(2015, 11, 14, 12, 0, 0, DateTimeKind.Utc), after.Updated);
        Assert.Equal(before.Published, after.Published);
    }

    [Fact]
    public async Task Refresh_CorrectionWithoutSourceDate_MovesUpdatedToWhenWeSawIt()
    {
        var feed = Pipeline.Feed("fix", server.Url("correctable.xml"));
        await pipeline.RefreshAsync(feed);
        var before = Assert.Single(pipeline.Store.Latest(10));

        correctableTitle = "Titre corrigé sans date";
        await pipeline.RefreshAsync(feed);

        var after = Assert.Single(pipeline.Store.Latest(10));
        Assert.True(after.Updated > before.Updated);
        Assert.True(after.Updated > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Refresh_FailingFeed_RecordsReasonAndLeavesOthersAlone()
    {
        var gone = await pipeline.RefreshAsync(Pipeline.Feed("gone", server.Url("gone.xml")));
        var broken = await pipeline.RefreshAsync(Pipeline.Feed("broken", server.Url("malformed.xml")));
        var fine = await pipeline.RefreshAsync(Pipeline.Feed("rss2", server.Url("rss2.xml")));

        Assert.Equal(RefreshKind.Failed, gone.Kind);
        Assert.StartsWith("HTTP 410", gone.Reason, StringComparison.Ordinal);
        Assert.StartsWith("malformed XML", broken.Reason, StringComparison.Ordinal);
        Assert.Equal(RefreshKind.New, fine.Kind);
        var state = pipeline.Store.GetState("gone");
        Assert.Equal(1, state.ConsecutiveFailures);
        Assert.StartsWith("HTTP 410", state.LastError, StringComparison.Ordinal);
        Assert.NotNull(state.LastFailure);
        Assert.Equal(0, pipeline.Store.GetState("rss2").ConsecutiveFailures);
    }

    [Fact]
    public async Task Refresh_FailureThenSuccess_ResetsConsecutiveFailures()
    {
        // Manual refreshes, as the fetch command makes them: backoff does not hold them back.
        await pipeline.RefreshAsync(Pipeline.Feed("flaky", server.Url("broken.xml")));
        await pipeline.RefreshAsync(Pipeline.Feed("flaky", server.Url("broken.xml")));
        Assert.Equal(2, pipeline.Store.GetState("flaky").ConsecutiveFailures);

        await pipeline.RefreshAsync(Pipeline.Feed("flaky", server.Url("ids.xml")));

        var state = pipeline.Store.GetState("flaky");
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.NotNull(state.LastSuccess);
    }

    [Fact]
    public async Task Refresh_StoredLink_LosesTrackingParameters()
    {
        await pipeline.RefreshAsync(Pipeline.Feed("rss2", server.Url("rss2.xml")));

        var item = pipeline.Store.Latest(10).Single(i => i.Title.StartsWith("La Chine", StringComparison.Ordinal));
        Assert.Equal("https://agence.example/monde/2015/11/13/accord.html", item.Link);
    }

    [Fact]
    public async Task Refresh_EntryIds_AreVersion5Uuids()
    {
        await pipeline.RefreshAsync(Pipeline.Feed("rss2", server.Url("rss2.xml")));

        Assert.All(pipeline.Store.Latest(10), item => Assert.Matches(
            "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
            Aggregator.Export.FeedDocument.EntryId(item)));
    }

    [Fact]
    public async Task Refresh_ItemWithoutDate_IsPublishedWhenFirstSeen()
    {
        await pipeline.RefreshAsync(Pipeline.Feed("rss2", server.Url("rss2.xml")));

        var undated = pipeline.Store.Latest(10).Single(i => i.Title == "Dépêche sans date");
        Assert.Equal(undated.FirstSeen, undated.Published);
        Assert.Equal(DateTimeKind.Utc, undated.Published.Kind);
    }

    private string CorrectableFeed() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title>Correctable</title><id>urn:fix</id><updated>2015-11-13T10:00:00Z</updated>
          <entry>
            <id>urn:fix:1</id>
            <title>{correctableTitle}</title>
            <link href="https://fix.example/1.html"/>
            <published>2015-11-13T10:00:00Z</published>
            {(correctableUpdated is null ? "" : $"<updated>{correctableUpdated}</updated>")}
            <content type="html">&lt;p&gt;Corps.&lt;/p&gt;</content>
          </entry>
        </feed>
        """;
}
