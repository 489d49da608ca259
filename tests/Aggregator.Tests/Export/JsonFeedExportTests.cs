using System.Text.Json;
using System.Xml.Linq;
using Aggregator.Export;

namespace Aggregator.Tests.Export;

/// <summary>The JSON Feed 1.1 export read back: required keys, RFC 3339 dates, authors and the _source extension.</summary>
public class JsonFeedExportTests(ExportFixture fixture) : IClassFixture<ExportFixture>
{
    private JsonElement Feed() => JsonDocument.Parse(fixture.Pipeline.Exporter.Render(ExportFormat.Json)).RootElement.Clone();

    private static List<JsonElement> Items(JsonElement feed) => [.. feed.GetProperty("items").EnumerateArray()];

    [Fact]
    public void Render_Feed_DeclaresVersion11AndTitle()
    {
        var feed = Feed();

        Assert.Equal("https://jsonfeed.org/version/1.1", feed.GetProperty("version").GetString());
        Assert.Equal("Dépêches de test", feed.GetProperty("title").GetString());
        Assert.EndsWith("/feed.json", ExportAssert.AbsoluteHttp(feed.GetProperty("feed_url").GetString()).AbsolutePath, StringComparison.Ordinal);
        ExportAssert.AbsoluteHttp(feed.GetProperty("home_page_url").GetString());
        Assert.Equal("fr", feed.GetProperty("language").GetString());
    }

    [Fact]
    public void Render_Items_HaveUniqueIdsAndTheFixtureTitles()
    {
        var items = Items(Feed());

        Assert.Equal(items.Count, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(ExportFixture.Titles.Order(StringComparer.Ordinal), items.Select(i => i.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_ItemUrls_AreAbsoluteWhenTheSourceHadALink()
    {
        var urls = Items(Feed()).Where(i => i.TryGetProperty("url", out _)).Select(i => i.GetProperty("url").GetString()).ToList();

        Assert.Equal(ExportFixture.Titles.Length - 1, urls.Count);
        Assert.All(urls, url => ExportAssert.AbsoluteHttp(url));
    }

    [Fact]
    public void Render_EachItem_HasContentHtml()
    {
        Assert.All(Items(Feed()), item => Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("content_html").GetString())));
    }

    [Fact]
    public void Render_DatesPublished_AreRfc3339NewestFirst()
    {
        var items = Items(Feed());

        ExportAssert.NewestFirst([.. items.Select(i => ExportAssert.Rfc3339(i.GetProperty("date_published").GetString()))]);
        Assert.All(items, i => ExportAssert.Rfc3339(i.GetProperty("date_modified").GetString()));
    }

    [Fact]
    public void Render_EachItem_HasANamedAuthor()
    {
        Assert.All(Items(Feed()), item =>
        {
            var author = Assert.Single(item.GetProperty("authors").EnumerateArray());
            Assert.False(string.IsNullOrWhiteSpace(author.GetProperty("name").GetString()));
        });
    }

    [Fact]
    public void Render_EachItem_NamesItsOutletInSource()
    {
        var feeds = fixture.Feeds.ToDictionary(f => f.Id);

        Assert.All(Items(Feed()), item =>
        {
            var source = item.GetProperty("_source");
            var feed = feeds[source.GetProperty("id").GetString()!];
            Assert.Equal(feed.Name, source.GetProperty("title").GetString());
            Assert.Equal(feed.Url.AbsoluteUri, source.GetProperty("feed_url").GetString());
        });
    }

    [Fact]
    public void Render_ItemIds_AreTheAtomEntryIds()
    {
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var atomIds = XDocument.Parse(fixture.Render(ExportFormat.Atom)).Root!
            .Elements(atom + "entry").Select(e => e.Element(atom + "id")!.Value);

        Assert.Equal(atomIds, Items(Feed()).Select(i => i.GetProperty("id").GetString()));
    }
}
