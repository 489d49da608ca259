using System.Globalization;
using System.Text;
using Aggregator.Scheduling;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Scheduling;

/// <summary>Refreshes parse, clean and pack a few at a time (one per core), fetching as many as the fetch limits allow.</summary>
public sealed class WorkLimiterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TaskCompletionSource pageAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource othersDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await FixtureServer.StartAsync(app =>
        {
            app.MapGet("/feeds/{id}.xml", (string id) => Results.Bytes(Encoding.UTF8.GetBytes(Feed(id, 30)), "application/rss+xml"));
            app.MapGet("/summaries.xml", () => Results.Bytes(Encoding.UTF8.GetBytes(Feed("summaries", 1)), "application/rss+xml"));
            app.MapGet("/pages/{id}.html", async () =>
            {
                // The page answers only once the other feeds are stored, or after a while, so a refresh that kept its
                // slot through the page fetch shows as the other feeds not finishing.
                pageAsked.TrySetResult();
                await Task.WhenAny(othersDone.Task, Task.Delay(Patience));
                return Results.Content(Page, "text/html; charset=utf-8");
            });
        });
    }

    public async ValueTask DisposeAsync()
    {
        othersDone.TrySetResult();
        await server.DisposeAsync();
    }

    private static string Page => "<html><body><article>" + string.Concat(Enumerable.Range(1, 6).Select(i =>
        $"<p>La page de l'article, paragraphe {i} : les deux ports ont signé un accord de coopération portant sur le transport maritime et la formation des dockers.</p>")) + "</article></body></html>";

    [Fact]
    public async Task Refresh_NoWorkSlotFree_FetchesButStoresNothingUntilOneIs()
    {
        using var pipeline = Pipeline.WithWorkSlots(1);
        var feeds = Enumerable.Range(0, 3).Select(i => Pipeline.Feed($"agence{i}", server.Url($"feeds/agence{i}.xml"))).ToList();
        var taken = await pipeline.Work.EnterAsync(TestContext.Current.CancellationToken);

        var refreshes = feeds.Select(pipeline.RefreshAsync).ToList();
        await WaitUntil(() => feeds.All(f => server.HitsOf(f.Url.AbsolutePath) == 1));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.All(refreshes, r => Assert.False(r.IsCompleted));
        Assert.Empty(pipeline.Store.Latest(10));

        taken.Dispose();
        var outcomes = await Task.WhenAll(refreshes).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.All(outcomes, o => Assert.Equal(30, o.New));
    }

    [Fact]
    public async Task Refresh_FullTextFeedFetchingAPage_LetsOtherFeedsWorkMeanwhile()
    {
        using var pipeline = Pipeline.WithWorkSlots(1);
        var fullText = Pipeline.Feed("summaries", server.Url("summaries.xml"), timeout: TimeSpan.FromSeconds(60)) with { FullText = true };
        var others = Enumerable.Range(0, 2).Select(i => Pipeline.Feed($"agence{i}", server.Url($"feeds/agence{i}.xml"))).ToList();

        var summaries = pipeline.RefreshAsync(fullText);
        await pageAsked.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        var stored = await Task.WhenAll(others.Select(pipeline.RefreshAsync)).WaitAsync(Patience, TestContext.Current.CancellationToken);
        othersDone.SetResult();

        Assert.All(stored, o => Assert.Equal(30, o.New));
        Assert.Equal(1, (await summaries.WaitAsync(Patience, TestContext.Current.CancellationToken)).New);
        Assert.Contains("La page de l'article", Assert.Single(pipeline.Store.Latest(100), i => i.FeedId == "summaries").BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnterAsync_AllSlotsTaken_WaitsForOneToBeGivenBack()
    {
        using var limiter = new WorkLimiter(2);
        using var first = await limiter.EnterAsync(TestContext.Current.CancellationToken);
        using var second = await limiter.EnterAsync(TestContext.Current.CancellationToken);

        var third = limiter.EnterAsync(TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);

        first.Dispose();
        using var entered = await third.WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Lease_DisposedTwiceOrAfterLeaving_GivesItsSlotBackOnce()
    {
        using var limiter = new WorkLimiter(1);
        var lease = await limiter.EnterAsync(TestContext.Current.CancellationToken);

        lease.Leave();
        lease.Dispose();
        lease.Dispose();
        using var next = await limiter.EnterAsync(TestContext.Current.CancellationToken);

        Assert.False(limiter.EnterAsync(TestContext.Current.CancellationToken).IsCompleted);
    }

    [Fact]
    public async Task Lease_Left_TakesASlotAgainOnlyWhenOneIsFree()
    {
        using var limiter = new WorkLimiter(1);
        using var lease = await limiter.EnterAsync(TestContext.Current.CancellationToken);

        lease.Leave();
        var other = await limiter.EnterAsync(TestContext.Current.CancellationToken);
        var back = lease.ReturnAsync(TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(back.IsCompleted);

        other.Dispose();
        await back.WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    private string Feed(string id, int items)
    {
        var xml = new StringBuilder($"<rss version=\"2.0\"><channel><title>{id}</title><link>{server.BaseUri}</link><description>x</description>");
        for (var i = 0; i < items; i++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<item><title>Dépêche {i} de {id}</title><link>{server.Url($"pages/{id}-{i}.html")}</link><guid>{id}-{i}</guid>")
                .Append(CultureInfo.InvariantCulture, $"<pubDate>Sat, 12 Dec 2015 {i % 24:00}:05:00 GMT</pubDate><description>")
                .Append(System.Security.SecurityElement.Escape(
                    $"<p>Dépêche numéro {i} de l'agence {id}, sur la coopération entre les ports de Tanger et d'Alger, signée samedi.</p>"))
                .Append("</description></item>");
        }

        return xml.Append("</channel></rss>").ToString();
    }
}
