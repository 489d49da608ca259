using System.Text;
using System.Xml.Linq;
using Aggregator.Configuration;
using Aggregator.Export;
using Aggregator.Storage;

namespace Aggregator.Tests.Export;

/// <summary>The RSS 2.0 export read back: the channel and item elements readers expect, in their formats.</summary>
public class RssExportTests(ExportFixture fixture) : IClassFixture<ExportFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";

    private XElement Channel()
    {
        var rss = XDocument.Parse(fixture.Render(ExportFormat.Rss)).Root!;
        Assert.Equal("rss", rss.Name.LocalName);
        Assert.Equal("2.0", (string?)rss.Attribute("version"));
        return Assert.Single(rss.Elements("channel"));
    }

    [Fact]
    public void Render_Channel_HasTitleLinkAndDescription()
    {
        var channel = Channel();

        Assert.Equal("Dépêches de test", Assert.Single(channel.Elements("title")).Value);
        ExportAssert.AbsoluteHttp(Assert.Single(channel.Elements("link")).Value);
        Assert.False(string.IsNullOrWhiteSpace(Assert.Single(channel.Elements("description")).Value));
        ExportAssert.Rfc822(Assert.Single(channel.Elements("lastBuildDate")).Value);
    }

    [Fact]
    public void Render_Channel_HasAnAtomSelfLink()
    {
        var self = Assert.Single(Channel().Elements(Atom + "link"));

        Assert.Equal("self", (string?)self.Attribute("rel"));
        Assert.Equal("application/rss+xml", (string?)self.Attribute("type"));
        Assert.EndsWith("/feed.rss", ExportAssert.AbsoluteHttp((string?)self.Attribute("href")).AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EachItem_HasATitleAndAbsoluteLinkWhenTheSourceHadOne()
    {
        var items = Channel().Elements("item").ToList();

        Assert.Equal(ExportFixture.Titles.Order(StringComparer.Ordinal), items.Select(i => Assert.Single(i.Elements("title")).Value).Order(StringComparer.Ordinal));
        // Only the fixture item with neither guid nor link has no link to give.
        Assert.Equal(items.Count - 1, items.Count(i => i.Element("link") is not null));
        Assert.All(items.Elements("link"), link => ExportAssert.AbsoluteHttp(link.Value));
    }

    [Fact]
    public void Render_EachItem_HasAUniqueGuidThatIsNotAPermalink()
    {
        var guids = Channel().Elements("item").Select(i => Assert.Single(i.Elements("guid"))).ToList();

        Assert.All(guids, g => Assert.Equal("false", (string?)g.Attribute("isPermaLink")));
        Assert.Equal(guids.Count, guids.Select(g => g.Value).Distinct().Count());
    }

    [Fact]
    public void Render_GuidOfEachItem_IsItsAtomEntryId()
    {
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var atomIds = XDocument.Parse(fixture.Render(ExportFormat.Atom)).Root!.Elements(atom + "entry").Select(e => e.Element(atom + "id")!.Value);

        Assert.Equal(atomIds, Channel().Elements("item").Select(i => i.Element("guid")!.Value));
    }

    [Fact]
    public void Render_PubDates_AreRfc822NewestFirst()
    {
        var dates = Channel().Elements("item").Select(i => ExportAssert.Rfc822(Assert.Single(i.Elements("pubDate")).Value)).ToList();

        ExportAssert.NewestFirst(dates);
    }

    [Fact]
    public void Render_EachItem_NamesItsOutletInSource()
    {
        var outlets = fixture.Feeds.ToDictionary(f => f.Url.AbsoluteUri, f => f.Name);

        Assert.All(Channel().Elements("item"), item =>
        {
            var source = Assert.Single(item.Elements("source"));
            Assert.Equal(outlets[(string?)source.Attribute("url") ?? ""], source.Value);
        });
    }

    [Fact]
    public void Render_EachItem_CarriesTheBodyAsHtmlAndASummary()
    {
        Assert.All(Channel().Elements("item"), item =>
        {
            Assert.False(string.IsNullOrWhiteSpace(Assert.Single(item.Elements(Content + "encoded")).Value));
            Assert.False(string.IsNullOrWhiteSpace(Assert.Single(item.Elements("description")).Value));
        });
    }

    [Fact]
    public void Render_BodyContainingCdataEnd_ReadsBackIntact()
    {
        // "]]>" cannot sit inside one CDATA section; the writer must split it so that readers rejoin the exact text.
        var item = new StoredItem { Id = "0123456789abcdef0123456789abcdef", FeedId = "code", Title = "Code", BodyHtml = "<p>a ]]> b</p>", BodyText = "a ]]> b" };
        var document = new FeedDocument(new OutputSettings(), [new StoryEntry(item.Id, item, [], item.Published, item.Updated)], new Dictionary<string, Outlet>(), DateTime.UnixEpoch);

        var rss = XDocument.Parse(Encoding.UTF8.GetString(RssRenderer.Render(document)));

        Assert.Equal("<p>a ]]> b</p>", rss.Root!.Element("channel")!.Element("item")!.Element(Content + "encoded")!.Value);
    }

    [Fact]
    public void Render_SummaryWithAngleBrackets_IsEscapedForReadersThatTakeItAsHtml()
    {
        var item = new StoredItem { Id = "0123456789abcdef0123456789abcdef", FeedId = "code", Title = "Code", BodyHtml = "<p>x</p>", BodyText = "Le code <script>alert(1)</script> & co" };
        var document = new FeedDocument(new OutputSettings(), [new StoryEntry(item.Id, item, [], item.Published, item.Updated)], new Dictionary<string, Outlet>(), DateTime.UnixEpoch);

        var rss = XDocument.Parse(Encoding.UTF8.GetString(RssRenderer.Render(document)));

        Assert.Equal("Le code &lt;script&gt;alert(1)&lt;/script&gt; &amp; co", rss.Root!.Element("channel")!.Element("item")!.Element("description")!.Value);
    }
}
