using System.Text;
using Aggregator.Fetching;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Scheduling;

/// <summary>fullText feeds: the article page replaces the feed's summary, and the page fetch cannot probe private addresses.</summary>
public sealed class FullTextTests : IAsyncLifetime
{
    private const string PageETag = "\"cop21-v1\"";
    private const string ArticleText = "Le texte, présenté en fin de matinée par la présidence française";

    private readonly Pipeline pipeline = new();
    private readonly List<string> pageRequests = [];
    private FixtureServer server = null!;
    private volatile string summary = "Un accord a été adopté au Bourget.";
    private volatile int pageStatus = StatusCodes.Status200OK;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/summaries.xml", () => Results.Bytes(Encoding.UTF8.GetBytes($"""
                <rss version="2.0"><channel><title>Résumés</title><link>{server.BaseUri}</link><description>x</description>
                <item><title>Accord de Paris</title><link>{server.Url("article.html")}</link><guid>cop21</guid>
                <pubDate>Sat, 12 Dec 2015 19:05:00 GMT</pubDate><description>{summary}</description></item>
                </channel></rss>
                """), "application/rss+xml"));
            app.MapGet("/article.html", (HttpRequest request) =>
            {
                lock (pageRequests)
                {
                    pageRequests.Add(request.Headers.IfNoneMatch.ToString());
                }

                if (pageStatus != StatusCodes.Status200OK)
                {
                    return Results.StatusCode(pageStatus);
                }

                return request.Headers.IfNoneMatch == PageETag
                    ? Results.StatusCode(StatusCodes.Status304NotModified)
                    : Results.Bytes(TestData.Bytes("Cleaning/Pages/france24-article.html"), "text/html; charset=utf-8", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(PageETag));
            });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        pipeline.Dispose();
    }

    [Fact]
    public async Task Refresh_FullTextFeedWithSummaries_StoresTheArticleFromItsPage()
    {
        var feed = Pipeline.Feed("summaries", server.Url("summaries.xml")) with { FullText = true };

        await pipeline.RefreshAsync(feed);

        var item = Assert.Single(pipeline.Store.Latest(10));
        Assert.Contains("Le texte, présenté en fin de matinée par la présidence française", item.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("Publié le", item.BodyText, StringComparison.Ordinal);
        Assert.Equal(1, server.HitsOf("/article.html"));
    }

    [Fact]
    public async Task Refresh_FeedWithoutFullText_KeepsTheSummaryAndFetchesNoPage()
    {
        await pipeline.RefreshAsync(Pipeline.Feed("summaries", server.Url("summaries.xml")));

        Assert.Equal("Un accord a été adopté au Bourget.", Assert.Single(pipeline.Store.Latest(10)).BodyText);
        Assert.Equal(0, server.HitsOf("/article.html"));
    }

    [Fact]
    public async Task Refresh_KnownItem_DoesNotFetchItsPageAgain()
    {
        var feed = Pipeline.Feed("summaries", server.Url("summaries.xml")) with { FullText = true };

        await pipeline.RefreshAsync(feed);
        var second = await pipeline.RefreshAsync(feed);

        Assert.Equal(1, server.HitsOf("/article.html"));
        Assert.Equal(1, second.Unchanged);
        Assert.Contains(ArticleText, Assert.Single(pipeline.Store.Latest(10)).BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_SummaryChanged_AsksForThePageConditionallyAndKeepsTheArticle()
    {
        var feed = Pipeline.Feed("summaries", server.Url("summaries.xml")) with { FullText = true };
        await pipeline.RefreshAsync(feed);

        summary = "Un accord historique a été adopté au Bourget.";
        var second = await pipeline.RefreshAsync(feed);
        var third = await pipeline.RefreshAsync(feed);

        Assert.Equal(["", PageETag], pageRequests);
        Assert.Equal(1, second.Updated);
        Assert.Equal(1, third.Unchanged);
        Assert.Contains(ArticleText, Assert.Single(pipeline.Store.Latest(10)).BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_PageFailsAfterASummaryChange_KeepsTheArticleReadBefore()
    {
        var feed = Pipeline.Feed("summaries", server.Url("summaries.xml")) with { FullText = true };
        await pipeline.RefreshAsync(feed);

        summary = "Un accord historique a été adopté au Bourget.";
        pageStatus = StatusCodes.Status503ServiceUnavailable;
        await pipeline.RefreshAsync(feed);

        Assert.Contains(ArticleText, Assert.Single(pipeline.Store.Latest(10)).BodyText, StringComparison.Ordinal);
        Assert.Equal(2, server.HitsOf("/article.html"));
    }

    [Fact]
    public async Task Refresh_ItemPurgedByRetention_DoesNotFetchItsPageAgain()
    {
        var feed = Pipeline.Feed("summaries", server.Url("summaries.xml")) with { FullText = true };
        await pipeline.RefreshAsync(feed);
        Assert.Equal(1, pipeline.Store.Purge(DateTime.UtcNow.AddDays(1), activeFeeds: new HashSet<string>()).Purged);

        summary = "Un accord historique a été adopté au Bourget.";
        await pipeline.RefreshAsync(feed);

        Assert.Equal(1, server.HitsOf("/article.html"));
        Assert.Empty(pipeline.Store.Latest(10));
    }

    [Fact]
    public async Task FetchPage_FromAPublicFeedToALoopbackPage_IsRefused()
    {
        // A documentation-range address: public, never contacted (only its literal is inspected).
        var feed = Pipeline.Feed("public", new Uri("http://203.0.113.5/rss.xml"));

        var result = await pipeline.Fetcher.FetchPageAsync(feed, server.Url("article.html"), null, TestContext.Current.CancellationToken);

        Assert.Contains("refused to connect", Assert.IsType<FetchResult.Failed>(result).Reason, StringComparison.Ordinal);
        Assert.Equal(0, server.HitsOf("/article.html"));
    }

    [Fact]
    public async Task FetchPage_WhenTheFeedAllowsPrivateAddresses_IsAllowed()
    {
        var feed = Pipeline.Feed("public", new Uri("http://203.0.113.5/rss.xml")) with { AllowPrivate = true };

        var result = await pipeline.Fetcher.FetchPageAsync(feed, server.Url("article.html"), null, TestContext.Current.CancellationToken);

        Assert.IsType<FetchResult.Fetched>(result);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("203.0.113.5", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void IsPrivate_ClassifiesAddresses(string address, bool expected)
    {
        Assert.Equal(expected, AddressGuard.IsPrivate(System.Net.IPAddress.Parse(address)));
    }
}
