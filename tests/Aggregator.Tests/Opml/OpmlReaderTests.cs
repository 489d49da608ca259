using Aggregator.Opml;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Opml;

public sealed class OpmlReaderTests
{
    private static OpmlReadResult Read(string name) => OpmlReader.Read(TestData.PathOf("Opml/" + name));

    [Fact]
    public void Read_NestedFolders_TakeTheNearestFolderAsCategory()
    {
        var feeds = Read("nested-categories.opml").Document!.Feeds;

        Assert.Equal(
            [("Jeune Afrique", "Afrique"), ("TSA – Tout sur l'Algérie", "Maghreb"), ("Œuvres & Économie", null)],
            feeds.Select(f => (f.Title, f.Category)));
    }

    [Fact]
    public void Read_FeedOutline_KeepsItsAddresses()
    {
        var feed = Read("nested-categories.opml").Document!.Feeds[0];

        Assert.Equal(new Uri("https://www.jeuneafrique.com/feed/"), feed.XmlUrl);
        Assert.Equal(new Uri("https://www.jeuneafrique.com/"), feed.HtmlUrl);
    }

    [Fact]
    public void Read_NonHttpXmlUrl_IsIgnoredWithItsLine()
    {
        var document = Read("duplicates.opml").Document!;

        Assert.DoesNotContain(document.Feeds, f => f.XmlUrl.Scheme == "ftp");
        var ignored = Assert.Single(document.Ignored);
        Assert.StartsWith("line 14:", ignored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("malformed.opml", "not well-formed XML")]
    [InlineData("not-opml.xml", "the root element is <rss>, not <opml>")]
    [InlineData("doctype.opml", "not well-formed XML")]
    [InlineData("missing.opml", "cannot read it")]
    public void Read_NotOpml_FailsWithTheReason(string name, string reason)
    {
        var result = Read(name);

        Assert.Null(result.Document);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }
}
