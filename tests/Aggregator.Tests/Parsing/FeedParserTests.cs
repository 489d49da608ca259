using Aggregator.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Parsing;

public class FeedParserTests
{
    private static readonly Uri FeedUrl = new("https://agence.example/rss.xml");

    private static ParsedFeed ParseFixture(string name, Uri? url = null)
    {
        var result = FeedParser.Parse(TestData.Text("Feeds/" + name), url ?? FeedUrl);
        return Assert.IsType<ParseResult.Parsed>(result).Feed;
    }

    [Fact]
    public void Parse_Rss2_ReadsEveryField()
    {
        var feed = ParseFixture("rss2-french.xml");

        Assert.Equal("Agence de test – Monde", feed.Title);
        Assert.Equal(3, feed.Items.Count);
        var item = feed.Items[0];
        Assert.Equal("agence-2015-1113-001", item.SourceId);
        Assert.Equal("La Chine et la France signent un accord & un mémorandum", item.Title);
        Assert.Equal(new DateTimeOffset(2015, 11, 13, 10, 30, 0, TimeSpan.Zero), item.Published);
        Assert.Equal("Jean Dupont", item.Author);
        Assert.Equal(["Monde", "Chine"], item.Categories);
        var enclosure = Assert.Single(item.Enclosures);
        Assert.Equal("https://agence.example/photos/accord.jpg", enclosure.Url.AbsoluteUri);
        Assert.Equal(12345, enclosure.Length);
    }

    [Fact]
    public void Parse_ContentEncodedWithEscapedScript_KeepsItAsText()
    {
        var item = ParseFixture("rss2-french.xml").Items[0];

        Assert.Contains("&lt;script&gt;", item.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", item.BodyHtml, StringComparison.Ordinal);
        Assert.StartsWith("<p>PÉKIN", item.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FrenchLongDateWithoutZone_IsReadAsUtc()
    {
        var item = ParseFixture("rss2-french.xml").Items[1];

        Assert.Equal(new DateTimeOffset(2015, 11, 14, 10, 5, 0, TimeSpan.Zero), item.Published);
        Assert.Equal("<p>Un séisme de magnitude 5,1 a frappé le Sichuan.</p>", item.BodyHtml);
    }

    [Fact]
    public void Parse_ItemWithoutDate_HasNoPublishedDate()
    {
        Assert.Null(ParseFixture("rss2-french.xml").Items[2].Published);
    }

    [Fact]
    public void Parse_Rss1Rdf_MatchesNamespacesNotPrefixes()
    {
        var feed = ParseFixture("rss1-rdf.xml");

        var item = Assert.Single(feed.Items);
        Assert.Equal("https://rdf.example/a1", item.SourceId);
        Assert.Equal("Élections au Sénégal", item.Title);
        Assert.Equal(new DateTimeOffset(2015, 11, 13, 10, 30, 0, TimeSpan.Zero), item.Published);
        Assert.Equal("APS", item.Author);
        Assert.Equal(["Afrique"], item.Categories);
        Assert.Equal("<p>DAKAR, 13 nov (APS) - Les électeurs sont appelés aux urnes.</p>", item.BodyHtml);
    }

    [Fact]
    public void Parse_AtomWithXmlBase_ResolvesLinksAgainstTheBaseInScope()
    {
        var feed = ParseFixture("atom-xmlbase.xml", new Uri("https://atom.example/feeds/atom.xml"));

        Assert.Equal("https://atom.example/fr/", feed.Link?.AbsoluteUri);
        var entry = feed.Items[0];
        Assert.Equal("https://atom.example/fr/articles/2015/sommet.html", entry.Link?.AbsoluteUri);
        Assert.Equal("https://atom.example/fr/articles/2015/sommet.mp3", Assert.Single(entry.Enclosures).Url.AbsoluteUri);
        Assert.Equal("https://atom.example/fr/articles/2015/", entry.BodyBase?.AbsoluteUri);
        Assert.Equal("https://atom.example/fr/brut.html", feed.Items[1].Link?.AbsoluteUri);
    }

    [Fact]
    public void Parse_AtomXhtmlAndHtmlTitles_BecomePlainText()
    {
        var feed = ParseFixture("atom-xmlbase.xml");

        Assert.Equal("Le sommet de Rabat", feed.Items[0].Title);
        Assert.Equal("Texte brut <pas une balise>", feed.Items[1].Title);
    }

    [Fact]
    public void Parse_AtomXhtmlContent_IsSerialisedAsMarkup()
    {
        var entry = ParseFixture("atom-xmlbase.xml").Items[0];

        Assert.Contains("<p", entry.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"../../autre.html\"", entry.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("s’est ouvert", entry.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AtomHtmlContent_IsDecodedExactlyOnce()
    {
        var entry = ParseFixture("atom-xmlbase.xml").Items[1];

        Assert.Equal("<p>Corps &lt;script&gt; échappé.</p>", entry.BodyHtml);
    }

    [Fact]
    public void Parse_AtomDates_PublishedAndUpdatedAsUtc()
    {
        var feed = ParseFixture("atom-xmlbase.xml");

        Assert.Equal(new DateTimeOffset(2015, 11, 13, 17, 30, 0, TimeSpan.Zero), feed.Items[0].Published);
        Assert.Equal(new DateTimeOffset(2015, 11, 14, 6, 0, 0, TimeSpan.Zero), feed.Items[0].Updated);
        Assert.Equal(feed.Items[1].Updated, feed.Items[1].Published);
        Assert.Equal(TimeSpan.Zero, feed.Items[0].Published!.Value.Offset);
    }

    [Fact]
    public void Parse_AtomEntryWithoutAuthor_InheritsTheFeedAuthor()
    {
        Assert.Equal("Rédaction Atom", ParseFixture("atom-xmlbase.xml").Items[1].Author);
    }

    [Fact]
    public void Parse_MalformedXml_FailsWithReason()
    {
        var result = FeedParser.Parse(TestData.Text("Feeds/malformed.xml"), FeedUrl);

        Assert.StartsWith("malformed XML", Assert.IsType<ParseResult.Failed>(result).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("billion-laughs.xml")]
    [InlineData("external-entity.xml")]
    public void Parse_DocumentWithDtd_IsRefused(string fixture)
    {
        var result = FeedParser.Parse(TestData.Text("Feeds/" + fixture), FeedUrl);

        Assert.StartsWith("DTD refused", Assert.IsType<ParseResult.Failed>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotAFeed_Fails()
    {
        var result = FeedParser.Parse("<html><body>Bonjour</body></html>", FeedUrl);

        Assert.IsType<ParseResult.Failed>(result);
    }

    [Fact]
    public void Parse_UnderInvariantCulture_StillReadsFrenchDates()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            Assert.NotNull(ParseFixture("rss2-french.xml").Items[0].Published);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
