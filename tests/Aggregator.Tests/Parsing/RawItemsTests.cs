using Aggregator.Fetching;
using Aggregator.Hosting;
using Aggregator.Parsing;
using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Parsing;

public class RawItemsTests
{
    private static readonly Uri FeedUrl = new("https://agence.example/rss.xml");

    private static string[] TextsOf(string text, RawItems raw) => [.. raw.Items.Select(i => text.Substring(i.Start, i.Length))];

    [Fact]
    public void Find_Rss_GivesEachItemOfTheChannelWhole()
    {
        const string text = """
            <?xml version="1.0"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>
            <item><title>Un</title><guid>1</guid></item>
            <item><title>Deux</title><content:encoded><![CDATA[<p>a</p>]]></content:encoded></item>
            </channel></rss>
            """;

        var raw = RawItems.Find(text)!;

        Assert.Equal(["<item><title>Un</title><guid>1</guid></item>", "<item><title>Deux</title><content:encoded><![CDATA[<p>a</p>]]></content:encoded></item>"], TextsOf(text, raw));
        Assert.Equal("""<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>""", raw.Context);
    }

    [Fact]
    public void Find_MarkupInCommentsCdataAndAttributeValues_IsNotTakenForTags()
    {
        const string text = """
            <rss version="2.0"><channel><!-- <item>commenté</item> -->
            <item><title a="x > y">Un</title><description><![CDATA[</item><item>]]></description></item>
            <?pi <item> ?><item/>
            </channel></rss>
            """;

        var raw = RawItems.Find(text)!;

        Assert.Equal(["<item><title a=\"x > y\">Un</title><description><![CDATA[</item><item>]]></description></item>", "<item/>"], TextsOf(text, raw));
    }

    [Fact]
    public void Find_AtomEntriesAndRdfItems_AreTheRootsChildren()
    {
        const string atom = """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/"><title>T</title><entry><id>1</id></entry><entry><id>2</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><entry/></div></content></entry></feed>""";
        const string rdf = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><items/></channel><item rdf:about="1"><title>Un</title></item></rdf:RDF>""";

        Assert.Equal(2, RawItems.Find(atom)!.Items.Count);
        Assert.Equal("""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/">""", RawItems.Find(atom)!.Context);
        Assert.Equal(["""<item rdf:about="1"><title>Un</title></item>"""], TextsOf(rdf, RawItems.Find(rdf)!));
    }

    [Fact]
    public void Find_ItemsOutsideTheChannelOrInsideAnItem_AreNotItems()
    {
        const string text = """<rss version="2.0"><channel><item><media:group xmlns:media="m"><item>x</item></media:group></item></channel><extra><item>y</item></extra></rss>""";

        var raw = RawItems.Find(text)!;

        Assert.Equal(["""<item><media:group xmlns:media="m"><item>x</item></media:group></item>"""], TextsOf(text, raw));
    }

    [Theory]
    [InlineData("""<!DOCTYPE rss [<!ENTITY e "x">]><rss version="2.0"><channel><item>&e;</item></channel></rss>""")]
    [InlineData("""<rss version="2.0"><channel><item><title>Un</title></channel></rss>""")]
    [InlineData("""<rss version="2.0"><channel><item><title>Un</title></item>""")]
    [InlineData("""<html><body><item/></body></html>""")]
    [InlineData("""<rss version="2.0"><channel></channel><channel><item/></channel></rss>""")]
    [InlineData("""<rss version="2.0"><channel><item><!-- open""")]
    public void Find_DocumentOfAnotherShape_IsNull(string text) => Assert.Null(RawItems.Find(text));

    [Fact]
    public void Without_CutsExactlyTheItemsLeftOut()
    {
        const string text = """<rss version="2.0"><channel><title>T</title><item>1</item> <item>2</item><link>l</link><item>3</item></channel></rss>""";
        var raw = RawItems.Find(text)!;

        Assert.Equal("""<rss version="2.0"><channel><title>T</title> <item>2</item><link>l</link></channel></rss>""", raw.Without(text, [0, 2]));
    }

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "Feeds", "Stories", "Page" })
        {
            foreach (var path in Directory.GetFiles(TestData.PathOf(folder), "*.xml").Order(StringComparer.Ordinal))
            {
                data.Add(folder + "/" + Path.GetFileName(path));
            }
        }

        foreach (var synthetic in new[] { "synthetic", "synthetic-bom", "synthetic-invalid-utf8", "synthetic-windows-1252", "synthetic-utf16" })
        {
            data.Add(synthetic);
        }

        return data;
    }

    /// <summary>A fixture's bytes, or a synthetic feed as it may come: with a byte order mark, with a byte that is not UTF-8, in windows-1252, in UTF-16.</summary>
    private static byte[] BytesOf(string name)
    {
        if (!name.StartsWith("synthetic", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(TestData.PathOf(name));
        }

        var utf8 = SyntheticFeeds.Render(7, 3, 2, 12, new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc));
        var text = System.Text.Encoding.UTF8.GetString(utf8);
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        switch (name)
        {
            case "synthetic-bom":
                return [0xEF, 0xBB, 0xBF, .. utf8];
            case "synthetic-invalid-utf8":
                // Declared UTF-8, one stray byte in the third item's title: decoded as U+FFFD, whole or cut.
                var at = text.IndexOf("<title>", text.IndexOf("<item>", text.IndexOf("<item>", text.IndexOf("<item>", StringComparison.Ordinal) + 1, StringComparison.Ordinal) + 1, StringComparison.Ordinal), StringComparison.Ordinal) + "<title>".Length;
                var prefix = System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, at));
                return [.. utf8.AsSpan(0, prefix), 0xFF, .. utf8.AsSpan(prefix)];
            case "synthetic-windows-1252":
                return System.Text.Encoding.GetEncoding(1252).GetBytes(text.Replace("encoding=\"UTF-8\"", "encoding=\"windows-1252\"", StringComparison.Ordinal));
            case "synthetic-utf16":
                return [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(text.Replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", StringComparison.Ordinal))];
            default:
                return utf8;
        }
    }

    /// <summary>
    /// Every feed the tests know, cut down to each one of its items, reads that item exactly as the whole document
    /// reads it (the same source digest: every field): what lets a refresh leave out the items it read before.
    /// </summary>
    [Theory]
    [MemberData(nameof(Documents))]
    public void Find_EachItemAlone_ParsesAsInTheWholeDocument(string name)
    {
        var text = FeedDecoder.Decode(BytesOf(name), null).Text;
        if (FeedParser.Parse(text, FeedUrl) is not ParseResult.Parsed { Feed: var whole })
        {
            // Refused whole (malformed, a DTD): a refresh that parsed it would have refused it too.
            return;
        }

        var raw = RawItems.Find(text);
        Assert.NotNull(raw);
        Assert.Equal(whole.Items.Count, raw.Items.Count);
        for (var k = 0; k < raw.Items.Count; k++)
        {
            var others = Enumerable.Range(0, raw.Items.Count).Where(i => i != k).ToList();
            var alone = Assert.IsType<ParseResult.Parsed>(FeedParser.Parse(raw.Without(text, others), FeedUrl)).Feed;
            Assert.Equal(SourceDigest.Of(whole.Items[k], null), SourceDigest.Of(Assert.Single(alone.Items), null));
            Assert.Equal(whole.ItemContext, alone.ItemContext);
        }
    }

    /// <summary>
    /// The same documents read as UTF-8 bytes, as a refresh reads them: the same items at the byte places of their
    /// text, the same context, and each cut-down document decoded to the very text cut from the decoded whole.
    /// </summary>
    [Theory]
    [MemberData(nameof(Documents))]
    public void Find_Utf8_FindsTheItemsOfTheText(string name)
    {
        var bytes = BytesOf(name);
        var (encoding, skip, _) = FeedDecoder.Choose(bytes, null);
        using var document = new FetchedText(bytes[skip..], encoding);
        var text = document.Text;
        if (!document.IsUtf8)
        {
            // Read as text (SeenItemTexts): the theory above covers it.
            return;
        }

        var fromText = RawItems.Find(text);
        var fromBytes = RawItems.Find(document.Utf8);

        Assert.Equal(fromText is null, fromBytes is null);
        if (fromText is null || fromBytes is null)
        {
            return;
        }

        Assert.Equal(fromText.Context, fromBytes.Context);
        var utf8 = document.Utf8.ToArray();
        Assert.Equal<string>(TextsOf(text, fromText), fromBytes.Items.Select(i => System.Text.Encoding.UTF8.GetString(utf8, i.Start, i.Length)));
        for (var k = 0; k < fromText.Items.Count; k++)
        {
            int[] others = [.. Enumerable.Range(0, fromText.Items.Count).Where(i => i != k)];
            Assert.Equal(fromText.Without(text, others), fromBytes.Without(utf8, others));
        }
    }
}
