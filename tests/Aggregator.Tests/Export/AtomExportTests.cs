using System.Xml.Linq;
using Aggregator.Export;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Export;

/// <summary>The Atom export read back against the RFC 4287 rules readers rely on, then against its schema.</summary>
public class AtomExportTests(ExportFixture fixture) : IClassFixture<ExportFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private XElement Feed() => XDocument.Parse(fixture.Render(ExportFormat.Atom)).Root!;

    private static IEnumerable<XElement> Entries(XElement feed) => feed.Elements(Atom + "entry");

    [Fact]
    public void Render_Feed_HasExactlyOneIdTitleUpdatedAndSelfLink()
    {
        var feed = Feed();

        Assert.Equal(Atom + "feed", feed.Name);
        AbsoluteOnce(feed, "id");
        Assert.Equal("Dépêches de test", Assert.Single(feed.Elements(Atom + "title")).Value);
        ExportAssert.Rfc3339(Assert.Single(feed.Elements(Atom + "updated")).Value);
        var self = Assert.Single(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
        Assert.EndsWith("/feed.atom", ExportAssert.AbsoluteHttp((string?)self.Attribute("href")).AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Feed_DeclaresItsLanguage()
    {
        Assert.Equal("fr", (string?)Feed().Attribute(XNamespace.Xml + "lang"));
    }

    [Fact]
    public void Render_EveryStoredItem_IsOneEntryWithAUniqueId()
    {
        var ids = Entries(Feed()).Select(e => AbsoluteOnce(e, "id")).ToList();

        Assert.Equal(ExportFixture.Titles.Length, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith("urn:uuid:", id, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_EachEntry_HasExactlyOneTitleUpdatedAndPublished()
    {
        Assert.All(Entries(Feed()), entry =>
        {
            Assert.Single(entry.Elements(Atom + "title"));
            ExportAssert.Rfc3339(Assert.Single(entry.Elements(Atom + "updated")).Value);
            ExportAssert.Rfc3339(Assert.Single(entry.Elements(Atom + "published")).Value);
        });
    }

    [Fact]
    public void Render_EachEntry_HasAnAuthorNameOrTheFeedHasOne()
    {
        var feed = Feed();
        var feedHasAuthor = feed.Elements(Atom + "author").Any(a => !string.IsNullOrWhiteSpace((string?)a.Element(Atom + "name")));

        Assert.All(Entries(feed), entry =>
            Assert.True(feedHasAuthor || entry.Elements(Atom + "author").Any(a => !string.IsNullOrWhiteSpace((string?)a.Element(Atom + "name")))));
    }

    [Fact]
    public void Render_EachEntry_HasAnAlternateLinkOrContent()
    {
        Assert.All(Entries(Feed()), entry =>
            Assert.True(entry.Elements(Atom + "content").Any()
                || entry.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") is null or "alternate")));
    }

    [Fact]
    public void Render_EntryLinks_AreAbsolute()
    {
        var hrefs = Entries(Feed()).SelectMany(e => e.Elements(Atom + "link")).Select(l => (string?)l.Attribute("href")).ToList();

        Assert.NotEmpty(hrefs);
        Assert.All(hrefs, href => ExportAssert.AbsoluteHttp(href));
    }

    [Fact]
    public void Render_Titles_KeepAccentsAndTextThatLooksLikeMarkup()
    {
        var titles = Entries(Feed()).Select(e => e.Element(Atom + "title")!).ToList();

        Assert.All(titles, t => Assert.Equal("text", (string?)t.Attribute("type")));
        Assert.Equal(ExportFixture.Titles.Order(StringComparer.Ordinal), titles.Select(t => t.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_EachEntry_NamesItsOutletInSource()
    {
        var feedUrls = fixture.Feeds.ToDictionary(f => f.Url.AbsoluteUri, f => f.Name);

        Assert.All(Entries(Feed()), entry =>
        {
            var source = Assert.Single(entry.Elements(Atom + "source"));
            var id = AbsoluteOnce(source, "id");
            Assert.Equal(feedUrls[id], Assert.Single(source.Elements(Atom + "title")).Value);
            Assert.Contains(source.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self" && (string?)l.Attribute("href") == id);
        });
    }

    [Fact]
    public void Render_Entries_AreNewestFirstByPublished()
    {
        var published = Entries(Feed()).Select(e => ExportAssert.Rfc3339(e.Element(Atom + "published")!.Value)).ToList();

        ExportAssert.NewestFirst(published);
    }

    [Fact]
    public void Render_FeedUpdated_IsTheLatestEntryUpdate()
    {
        var feed = Feed();
        var latest = Entries(feed).Max(e => ExportAssert.Rfc3339(e.Element(Atom + "updated")!.Value));

        Assert.Equal(latest, ExportAssert.Rfc3339(feed.Element(Atom + "updated")!.Value));
    }

    [Fact]
    public void Render_Twice_GivesTheSameEntryIds()
    {
        Assert.Equal(EntryIds(Feed()), EntryIds(Feed()));
    }

    [Fact]
    public async Task Render_AfterStoreReopenAndRefetch_GivesTheSameEntryIds()
    {
        using var data = new TempDirectory();
        List<string> before;
        await using (var first = await ExportFixture.StartAsync(data.Path))
        {
            before = EntryIds(XDocument.Parse(first.Render(ExportFormat.Atom)).Root!);
        }

        await using var reopened = await ExportFixture.StartAsync(data.Path);
        var after = EntryIds(XDocument.Parse(reopened.Render(ExportFormat.Atom)).Root!);

        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Render_Document_IsValidAgainstTheRfc4287Schema()
    {
        var jing = ExternalTool.Require("jing", "apt-get install jing");
        using var folder = new TempDirectory();
        var file = fixture.RenderToFile(ExportFormat.Atom, folder);

        var run = await ExternalTool.RunAsync(jing, ["-c", TestData.PathOf("Schemas/atom.rnc"), file]);

        Assert.True(run.ExitCode == 0 && run.Output.Length == 0, run.ToString());
    }

    [Theory]
    [InlineData("category")]
    [InlineData("archive")]
    public void RenderVariant_EachEntry_KeepsTheRulesReadersRelyOn(string variant)
    {
        var feed = XDocument.Parse(System.Text.Encoding.UTF8.GetString(fixture.RenderVariant(ExportFormat.Atom, variant))).Root!;

        AbsoluteOnce(feed, "id");
        ExportAssert.Rfc3339(Assert.Single(feed.Elements(Atom + "updated")).Value);
        Assert.Equal(ExportFixture.CountOf(variant), Entries(feed).Count());
        Assert.All(Entries(feed), entry =>
        {
            Assert.StartsWith("urn:uuid:", Assert.Single(entry.Elements(Atom + "id")).Value, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(Assert.Single(entry.Elements(Atom + "title")).Value));
            ExportAssert.Rfc3339(Assert.Single(entry.Elements(Atom + "updated")).Value);
            ExportAssert.Rfc3339(Assert.Single(entry.Elements(Atom + "published")).Value);
            Assert.False(string.IsNullOrWhiteSpace(entry.Element(Atom + "author")?.Element(Atom + "name")?.Value));
            Assert.True(entry.Elements(Atom + "content").Any() || entry.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") is null or "alternate"));
        });
    }

    private static string AbsoluteOnce(XElement parent, string name)
    {
        var value = Assert.Single(parent.Elements(Atom + name)).Value;
        Assert.True(Uri.IsWellFormedUriString(value, UriKind.Absolute), $"{name} is not an absolute IRI: {value}");
        return value;
    }

    private static List<string> EntryIds(XElement feed) => [.. Entries(feed).Select(e => e.Element(Atom + "id")!.Value)];
}
