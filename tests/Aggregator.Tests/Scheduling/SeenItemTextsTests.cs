using System.Text;
using Aggregator.Configuration;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests.Scheduling;

/// <summary>
/// Items whose text is the one read at the feed's last fetch are left out of what the parser reads: a refresh
/// parses only what is new or changed, and the rest stays listed, as when the whole document was parsed.
/// </summary>
public sealed class SeenItemTextsTests : IAsyncLifetime
{
    private readonly TempDirectory data = new();
    private readonly List<string> items = [Item(1), Item(2), Item(3)];
    private string channelLink = "https://agence.example/monde/";
    private string rootAttributes = "";
    private Encoding encoding = Encoding.UTF8;
    private FixtureServer server = null!;

    public async ValueTask InitializeAsync() =>
        server = await FixtureServer.StartAsync(app => app.MapGet("/feed.xml", () => Results.Bytes(encoding.GetBytes(Feed()), $"application/rss+xml; charset={encoding.WebName}")));

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        data.Dispose();
    }

    private static string Item(int n, string extra = "") =>
        $"""
        <item><guid isPermaLink="false">depeche-{n}</guid><title>Dépêche {n}</title><link>depeche-{n}.html</link>
        <pubDate>Fri, 13 Nov 2015 1{n % 10}:30:00 +0000</pubDate>
        <description>&lt;p&gt;PÉKIN, 13 novembre (Xinhua) -- La dépêche numéro {n} rapporte un fait nouveau.{extra}&lt;/p&gt;</description></item>

        """;

    private string Feed() =>
        $"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"{rootAttributes}><channel><title>Agence</title><link>{channelLink}</link>{string.Concat(items)}</channel></rss>""";

    private FeedConfig Source() => Pipeline.Feed("agence", server.Url("feed.xml"));

    [Fact]
    public async Task Refresh_ItemsReadAtTheLastFetch_AreNotParsedAgain()
    {
        using var pipeline = new Pipeline(data.Path);
        var first = await pipeline.RefreshAsync(Source());
        items.Insert(1, Item(4));

        var second = await pipeline.RefreshAsync(Source());
        var third = await pipeline.RefreshAsync(Source());

        Assert.Equal((3, 3), (first.Parsed, first.New));
        Assert.Equal((1, 1, 3), (second.Parsed, second.New, second.Unchanged));
        Assert.Equal((0, 0, 4), (third.Parsed, third.New, third.Unchanged));
        Assert.Equal(4, pipeline.Store.CountItems("agence"));
    }

    [Fact]
    public async Task Refresh_Windows1252Feed_LeavesOutTheItemsReadBeforeAndReadsTheNewOneWithItsAccents()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        encoding = Encoding.GetEncoding(1252);
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        items.Insert(1, Item(4));

        var second = await pipeline.RefreshAsync(Source());

        Assert.Equal((1, 1, 3), (second.Parsed, second.New, second.Unchanged));
        Assert.Contains(pipeline.Store.Latest(10), i => i.Title == "Dépêche 4" && i.BodyText.Contains("PÉKIN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_ItemEditedInPlace_IsTheOneParsedAndUpdated()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        items[2] = Item(3, " Bilan revu.");

        var outcome = await pipeline.RefreshAsync(Source());

        Assert.Equal((1, 1, 2), (outcome.Parsed, outcome.Updated, outcome.Unchanged));
        Assert.Contains(pipeline.Store.Latest(10), i => i.BodyText.Contains("Bilan revu.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_ChannelLinkChanged_ReadsEveryItemAgainAgainstTheNewLink()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        channelLink = "https://agence.example/afrique/";

        var outcome = await pipeline.RefreshAsync(Source());

        Assert.Equal(3, outcome.Parsed);
        Assert.All(pipeline.Store.Latest(10), i => Assert.StartsWith("https://agence.example/afrique/", i.Link, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_RootDeclarationsChanged_ReadsEveryItemAgain()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        rootAttributes = """ xml:base="https://agence.example/" """;

        var outcome = await pipeline.RefreshAsync(Source());

        Assert.Equal(3, outcome.Parsed);
    }

    [Fact]
    public async Task Refresh_AfterTheStoreLostAnItem_ParsesThatItemAgain()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        items.RemoveAt(0);
        await pipeline.RefreshAsync(Source());
        pipeline.Store.Purge(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        items.Insert(0, Item(1));

        var outcome = await pipeline.RefreshAsync(Source());

        // The purged item is read (its text was seen, but the store no longer holds it) and, purged, not taken back.
        Assert.Equal((1, 0, 3), (outcome.Parsed, outcome.New, outcome.Unchanged));
        Assert.Equal(2, pipeline.Store.CountItems("agence"));
    }

    [Fact]
    public async Task Refresh_ItemsLeftOut_StayListedAndAreNotPurged()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        items.Add(Item(5));
        await pipeline.RefreshAsync(Source());

        var purged = pipeline.Store.Purge(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(4, pipeline.Store.CountItems("agence"));
        Assert.Equal(0, purged.Purged);
    }

    [Fact]
    public async Task Refresh_NewItemThatIsMalformed_FailsTheFeedAsAWholeDocumentWould()
    {
        using var pipeline = new Pipeline(data.Path);
        await pipeline.RefreshAsync(Source());
        items.Add("<item><title>Ça & là</title></item>");

        var outcome = await pipeline.RefreshAsync(Source());

        Assert.Equal(Aggregator.Scheduling.RefreshKind.Failed, outcome.Kind);
        Assert.StartsWith("malformed XML", outcome.Reason, StringComparison.Ordinal);
    }
}
